// End-to-end: erasure, rectification and reviewed access on the sample CRM,
// ambiguous matches, illegal transitions and the audit chain, with the real
// coordinator and worker processes.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <set>

#include "common/civil_date.h"
#include "tests/e2e/cluster.h"
#include "tests/e2e/crm_oracle.h"

namespace dsr::testing {
namespace {

struct CrmCluster {
  Cluster cluster;
  std::vector<Sample> samples;

  CrmCluster() {
    samples = ParseSamples(cluster.GenerateCrm(400));
    REQUIRE(cluster.StartCoordinator());
    REQUIRE(cluster.StartWorker("crm-1"));
  }

  // Files a request, confirms the identity, waits for review.
  nlohmann::json ToReview(const nlohmann::json& body) {
    const auto created = cluster.Submit(body);
    REQUIRE(created.is_object());
    const std::string id = created.at("id").get<std::string>();
    REQUIRE(cluster.ConfirmIdentity(id).is_object());
    const auto review = cluster.WaitForStatus(id, "in_review");
    REQUIRE(review.at("status") == "in_review");
    return review;
  }
};

// Outcomes of a request's tasks as "collection:outcome" → records.
std::map<std::string, int64_t> Outcomes(const nlohmann::json& request) {
  std::map<std::string, int64_t> outcomes;
  for (const auto& task : request.at("tasks")) {
    for (const auto& outcome : task.at("outcomes")) {
      outcomes[outcome.at("collection").get<std::string>() + ":" +
               outcome.at("outcome").get<std::string>()] += outcome.at("records").get<int64_t>();
    }
  }
  return outcomes;
}

int64_t Count(const RowsByTable& rows, const std::string& table) {
  const auto found = rows.find(table);
  return found == rows.end() ? 0 : static_cast<int64_t>(found->second.size());
}

// The year-end rule: end of the year of `date` (YYYY-…) plus `years`.
std::string EndOfYearPlus(const std::string& date, int years) {
  return std::to_string(std::stoi(date.substr(0, 4)) + years) + "-12-31";
}

}  // namespace

TEST_SUITE("EndToEnd") {
  TEST_CASE("erasure anonymizes, deletes and keeps invoices under a hold, touching no one else") {
    CrmCluster crm;
    const Sample sample = SampleOfKind(crm.samples, "typical");
    const RowsByTable before = AllRows(crm.cluster.crm_path());
    const RowsByTable subject = ExpectedRowsForEmail(crm.cluster.crm_path(), sample.email);
    REQUIRE(Count(subject, "invoices") > 0);

    const auto review = crm.ToReview({{"type", "erasure"}, {"subject", {{"email", sample.email}}}});
    const auto outcomes = Outcomes(review);
    CHECK(outcomes.at("customers:anonymized") == 1);
    CHECK(outcomes.at("order_lines:erased") == Count(subject, "order_lines"));
    CHECK(outcomes.count("invoices:retained") == 1);
    CHECK(outcomes.at("invoices:retained") == Count(subject, "invoices"));

    // Each invoice is held until the end of its year plus 8 years (HGB §257, AO §147).
    std::set<std::string> expected_until;
    for (const auto& invoice : subject.at("invoices")) {
      expected_until.insert(EndOfYearPlus(invoice.at("issued_on").get<std::string>(), 8));
    }
    std::set<std::string> held_until;
    for (const auto& hold : review.at("holds")) {
      if (hold.at("collection") == "invoices")
        held_until.insert(hold.at("retained_until").get<std::string>());
    }
    CHECK(held_until == expected_until);

    const RowsByTable after = AllRows(crm.cluster.crm_path());
    CHECK(WithoutRowsOf(after, subject) == WithoutRowsOf(before, subject));
    CHECK(Count(after, "support_notes") ==
          Count(before, "support_notes") - Count(subject, "support_notes"));
    CHECK(Count(after, "invoices") == Count(before, "invoices"));
    // A second search finds nothing of the subject any more.
    CHECK(ExpectedRowsForEmail(crm.cluster.crm_path(), sample.email).empty());

    const std::string id = review.at("id").get<std::string>();
    REQUIRE(crm.cluster.Act(id, "approve").status == 200);
    const auto done = crm.cluster.WaitForStatus(id, "completed");
    CHECK(done.at("status") == "completed");
    const auto letter = crm.cluster.Call("GET", "/api/v1/requests/" + id + "/letter");
    REQUIRE(letter.status == 200);
    // The letter says until when the invoices are kept (the latest year is enough here).
    CHECK(letter.body.find(expected_until.rbegin()->substr(0, 4)) != std::string::npos);
    const auto holds =
        nlohmann::json::parse(crm.cluster.Call("GET", "/api/v1/holds?status=active").body);
    CHECK(holds.at("holds").size() == review.at("holds").size());
  }

  TEST_CASE("rectification changes exactly the mapped fields of exactly the subject's rows") {
    CrmCluster crm;
    const Sample sample = SampleOfKind(crm.samples, "mixed-case-email");
    const RowsByTable before = AllRows(crm.cluster.crm_path());
    const RowsByTable subject = ExpectedRowsForEmail(crm.cluster.crm_path(), sample.email);
    const nlohmann::json corrections = {
        {"email", "neue.adresse@example.net"},
        {"postal_address",
         {{"street", "Lindenstraße 5"}, {"postal_code", "50674"}, {"city", "Köln"}}}};
    const auto review = crm.ToReview({{"type", "rectification"},
                                      {"subject", {{"email", sample.email}}},
                                      {"corrections", corrections}});
    CHECK(Outcomes(review).at("customers:updated") == 1);

    const RowsByTable after = AllRows(crm.cluster.crm_path());
    CHECK(WithoutRowsOf(after, subject) == WithoutRowsOf(before, subject));
    nlohmann::json expected = subject.at("customers").at(0);
    expected["email"] = "neue.adresse@example.net";
    expected["street"] = "Lindenstraße 5";
    expected["postal_code"] = "50674";
    expected["city"] = "Köln";
    const RowsByTable changed =
        ExpectedRowsForEmail(crm.cluster.crm_path(), "neue.adresse@example.net");
    REQUIRE(Count(changed, "customers") == 1);
    CHECK(changed.at("customers").at(0) == expected);
    CHECK(changed.at("orders") == subject.at("orders"));

    const std::string id = review.at("id").get<std::string>();
    REQUIRE(crm.cluster.Act(id, "approve").status == 200);
    CHECK(crm.cluster.WaitForStatus(id, "completed").at("status") == "completed");
    const auto letter = crm.cluster.Call("GET", "/api/v1/requests/" + id + "/letter");
    REQUIRE(letter.status == 200);
    CHECK(letter.body.find("neue.adresse@example.net") != std::string::npos);
  }

  TEST_CASE(
      "an access answer goes through review; the redacted record is not in the sealed bundle") {
    CrmCluster crm;
    const Sample sample = SampleOfKind(crm.samples, "typical");
    const auto review = crm.ToReview({{"type", "access"}, {"subject", {{"email", sample.email}}}});
    const std::string id = review.at("id").get<std::string>();
    const auto records = crm.cluster.Records(id, "&collection=orders");
    REQUIRE(records.at("records").size() >= 1);
    const auto redacted = records.at("records").at(0);
    const auto decision = crm.cluster.Act(id, "redactions",
                                          {{"task_id", redacted.at("task_id")},
                                           {"collection", "orders"},
                                           {"line", redacted.at("line")},
                                           {"decision", "exclude"},
                                           {"reason", "the order was placed for a neighbour"}});
    REQUIRE(decision.status == 200);
    REQUIRE(crm.cluster.Act(id, "approve").status == 200);
    REQUIRE(crm.cluster.WaitForStatus(id, "completed").at("status") == "completed");
    const RowsByTable bundle = BundleRows(crm.cluster.FetchBundle(id), "crm");
    RowsByTable expected = ExpectedRowsForEmail(crm.cluster.crm_path(), sample.email);
    auto& orders = expected.at("orders");
    orders.erase(std::remove(orders.begin(), orders.end(), redacted.at("record")), orders.end());
    if (orders.empty()) expected.erase("orders");
    CHECK(bundle == expected);
  }

  TEST_CASE(
      "a shared phone number puts the other customer under ambiguous, never into bundle or "
      "erasure") {
    CrmCluster crm;
    const Sample sample = SampleOfKind(crm.samples, "shares-phone-with:");
    const std::string other_id = sample.kind.substr(sample.kind.find(':') + 1);
    const nlohmann::json subject = {{"email", sample.email}, {"phone", sample.phone}};

    const auto review = crm.ToReview({{"type", "access"}, {"subject", subject}});
    const std::string id = review.at("id").get<std::string>();
    const auto ambiguous = crm.cluster.Records(id, "&match=ambiguous");
    REQUIRE(ambiguous.at("records").size() >= 1);
    bool other_customer_listed = false;
    for (const auto& record : ambiguous.at("records")) {
      if (record.at("collection") == "customers" &&
          record.at("record").at("customer_number") == other_id) {
        other_customer_listed = true;
      }
    }
    CHECK(other_customer_listed);
    CHECK(crm.cluster.Act(id, "approve").status == 409);  // undecided ambiguous records
    const auto done = crm.cluster.ReviewAndApprove(id);
    REQUIRE(done.at("status") == "completed");
    CHECK(BundleRows(crm.cluster.FetchBundle(id), "crm") ==
          ExpectedRowsForEmail(crm.cluster.crm_path(), sample.email));

    const RowsByTable before = AllRows(crm.cluster.crm_path());
    const RowsByTable own = ExpectedRowsForEmail(crm.cluster.crm_path(), sample.email);
    const auto erasure = crm.ToReview({{"type", "erasure"}, {"subject", subject}});
    CHECK(WithoutRowsOf(AllRows(crm.cluster.crm_path()), own) == WithoutRowsOf(before, own));
    CHECK(
        crm.cluster.Records(erasure.at("id").get<std::string>(), "&match=ambiguous").at("total") >=
        1);
  }

  TEST_CASE("illegal transitions get 409 and change nothing") {
    CrmCluster crm;
    const Sample sample = SampleOfKind(crm.samples, "typical");
    const auto review = crm.ToReview({{"type", "access"}, {"subject", {{"email", sample.email}}}});
    const std::string id = review.at("id").get<std::string>();
    REQUIRE(crm.cluster.Act(id, "approve").status == 200);
    CHECK(crm.cluster.Act(id, "approve").status == 409);
    REQUIRE(crm.cluster.WaitForStatus(id, "completed").at("status") == "completed");
    const auto events_before = crm.cluster.Call("GET", "/api/v1/requests/" + id + "/events").body;
    CHECK(crm.cluster.Act(id, "cancel", {{"reason", "too late"}}).status == 409);
    CHECK(crm.cluster.Act(id, "identity", {{"method", "email_reply"}, {"outcome", "confirmed"}})
              .status == 409);
    CHECK(crm.cluster.Act(id, "pause", {{"reason", "asked again"}}).status == 409);
    CHECK(crm.cluster.Call("GET", "/api/v1/requests/" + id + "/events").body == events_before);

    const auto created =
        crm.cluster.Submit({{"type", "erasure"}, {"subject", {{"email", sample.email}}}});
    const std::string cancelled = created.at("id").get<std::string>();
    REQUIRE(crm.cluster.Act(cancelled, "cancel", {{"reason", "withdrawn by phone"}}).status == 200);
    const auto erase_after_cancel = crm.cluster.Act(
        cancelled, "identity", {{"method", "email_reply"}, {"outcome", "confirmed"}});
    CHECK(erase_after_cancel.status == 409);
    const auto after =
        nlohmann::json::parse(crm.cluster.Call("GET", "/api/v1/requests/" + cancelled).body);
    CHECK(after.at("status") == "cancelled");
    CHECK(after.at("tasks").empty());
  }

  TEST_CASE("dsrctl audit verify names the event whose bytes were changed") {
    CrmCluster crm;
    const Sample sample = SampleOfKind(crm.samples, "typical");
    const auto review = crm.ToReview({{"type", "access"}, {"subject", {{"email", sample.email}}}});
    const std::string verify = BinDir() + "/dsrctl audit verify --store '" +
                               crm.cluster.store_url() + "' > " +
                               crm.cluster.dir().File("verify.out") + " 2>&1";
    CHECK(std::system(verify.c_str()) == 0);

    // One byte: the first letter of event 3's kind.
    crm.cluster.ExecuteOnStore(
        crm.cluster.store_backend() == StoreBackend::kMariaDb
            ? "UPDATE events SET kind = CONCAT('X', SUBSTR(kind, 2)) "
              "WHERE seq = 3"
            : "UPDATE events SET kind = 'X' || substr(kind, 2) WHERE seq = 3");
    CHECK(std::system(verify.c_str()) != 0);
    CHECK(ReadFile(crm.cluster.dir().File("verify.out")).find("event 3") != std::string::npos);
  }
}

}  // namespace dsr::testing

namespace dsr::testing {

TEST_SUITE("EndToEnd") {
  TEST_CASE(
      "a failed identity check or a refusal closes the request with a letter naming the "
      "authority") {
    CrmCluster crm;
    const Sample sample = SampleOfKind(crm.samples, "typical");
    const auto first =
        crm.cluster.Submit({{"type", "access"}, {"subject", {{"email", sample.email}}}});
    const std::string unverified = first.at("id").get<std::string>();
    CHECK(first.at("status") == "awaiting_identity");
    CHECK(first.at("tasks").empty());
    const auto failed = crm.cluster.Act(unverified, "identity",
                                        {{"method", "id_document"},
                                         {"outcome", "failed"},
                                         {"note", "the name on the document differs"}});
    REQUIRE(failed.status == 200);
    CHECK(nlohmann::json::parse(failed.body).at("closing_ground") == "identity_not_established");

    const auto second =
        crm.cluster.Submit({{"type", "erasure"}, {"subject", {{"email", sample.email}}}});
    const std::string refused = second.at("id").get<std::string>();
    CHECK(crm.cluster.Act(refused, "reject", {{"ground", "bored"}, {"reason", "xyz"}}).status ==
          422);
    REQUIRE(crm.cluster
                .Act(refused, "reject",
                     {{"ground", "excessive"},
                      {"reason", "The same request came five times this week."}})
                .status == 200);
    for (const std::string& id : {unverified, refused}) {
      CAPTURE(id);
      REQUIRE(crm.cluster.WaitForStatus(id, "rejected").at("status") == "rejected");
      const auto letter = crm.cluster.Call("GET", "/api/v1/requests/" + id + "/letter");
      REQUIRE(letter.status == 200);
      CHECK(letter.body.find("Landesbeauftragte für Datenschutz") != std::string::npos);
    }
    // Nothing was searched or changed for a refused request.
    CHECK(ExpectedRowsForEmail(crm.cluster.crm_path(), sample.email).count("customers") == 1);
  }

  TEST_CASE("pausing for the data subject's answer moves the due date by the paused days") {
    CrmCluster crm;
    const auto created = crm.cluster.Submit({{"type", "access"},
                                             {"subject", {{"email", "someone@example.org"}}},
                                             {"received_on", "2025-03-05"}});
    const std::string id = created.at("id").get<std::string>();
    CHECK(created.at("due_on") == "2025-04-07");
    // Received long ago: overdue by every day since 7 April 2025 (today from
    // a request received today).
    const auto today_request =
        crm.cluster.Submit({{"type", "access"}, {"subject", {{"email", "other@example.org"}}}});
    const auto today = CivilDate::Parse(today_request.at("received_on").get<std::string>()).value();
    const auto& overdue = created.at("deadline");
    CHECK(overdue.at("state") == "overdue");
    CHECK(overdue.at("days_left") ==
          CivilDate(2025, 4, 7).DaysSinceEpoch() - today.DaysSinceEpoch());
    CHECK(overdue.at("clock") == "running");
    // A request received today is on track, with its month to run.
    const auto& fresh = today_request.at("deadline");
    CHECK(fresh.at("state") == "on_track");
    CHECK(fresh.at("days_left") ==
          CivilDate::Parse(today_request.at("due_on").get<std::string>()).value().DaysSinceEpoch() -
              today.DaysSinceEpoch());
    const auto paused = crm.cluster.Act(id, "pause", {{"reason", "asked for the customer number"}});
    REQUIRE(paused.status == 200);
    CHECK(nlohmann::json::parse(paused.body).at("paused") == true);
    CHECK(nlohmann::json::parse(paused.body).at("deadline").at("clock") == "paused");
    // A closed request has no standing any more.
    const auto cancelled = crm.cluster.Act(today_request.at("id").get<std::string>(), "cancel",
                                           {{"reason", "withdrawn by phone"}});
    REQUIRE(cancelled.status == 200);
    CHECK(nlohmann::json::parse(cancelled.body).at("deadline").is_null());
    CHECK(crm.cluster.Act(id, "pause", {{"reason", "again"}}).status == 409);
    const auto resumed = crm.cluster.Act(id, "resume");
    REQUIRE(resumed.status == 200);
    const auto view = nlohmann::json::parse(resumed.body);
    CHECK(view.at("paused") == false);
    CHECK(view.at("paused_days") == 0);  // paused and resumed on the same day
    CHECK(view.at("due_on") == "2025-04-07");
    CHECK(crm.cluster.Act(id, "resume").status == 409);
  }

  TEST_CASE("the record of processing is published as HTML, CSV and a list of what it lacks") {
    CrmCluster crm;
    const auto html = crm.cluster.Call("GET", "/api/v1/record-of-processing?format=html&lang=de");
    REQUIRE(html.status == 200);
    CHECK(html.headers.at("Content-Type").find("text/html") == 0);
    CHECK(html.body.find("Beispiel Versand GmbH") != std::string::npos);
    CHECK(html.body.find("HelpDeskly Inc.") != std::string::npos);
    const auto csv = crm.cluster.Call("GET", "/api/v1/record-of-processing?format=csv&lang=en");
    REQUIRE(csv.status == 200);
    CHECK(csv.body.rfind("\xEF\xBB\xBF", 0) == 0);
    const auto json = crm.cluster.Call("GET", "/api/v1/record-of-processing?format=json");
    REQUIRE(json.status == 200);
    CHECK(nlohmann::json::parse(json.body).at("warnings").empty());
    CHECK(crm.cluster.Call("GET", "/api/v1/record-of-processing?format=pdf").status == 400);
  }
}

}  // namespace dsr::testing
