#include "coordinator/workflow/intake.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "tests/workflow/workflow_fixture.h"

namespace dsr::workflow {
namespace {

const CivilDate kToday(2025, 3, 5);

nlohmann::json ValidBody() {
  return {{"type", "access"},
          {"subject", {{"email", "jürgen.müller@example.org"}, {"phone", "+49 30 1234567"}}},
          {"received_on", "2025-03-01"},
          {"language", "de"},
          {"channel", "letter"},
          {"note", "came with a copy of the ID card"}};
}

// True when some detail starts with `field` (a schema path or our own prefix).
bool DetailNames(const Status& status, const std::string& field) {
  for (const auto& detail : status.details()) {
    if (detail.rfind(field, 0) == 0) return true;
  }
  return false;
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_SUITE("Intake") {
  TEST_CASE("parses a valid body with every field") {
    auto parsed = ParseNewRequest(ValidBody(), kToday, "en");
    REQUIRE(parsed.ok());
    CHECK(parsed->type == store::RequestType::kAccess);
    CHECK(parsed->subject == store::SubjectIdentities{{"email", "jürgen.müller@example.org"},
                                                      {"phone", "+49 30 1234567"}});
    CHECK(parsed->received_on == CivilDate(2025, 3, 1));
    CHECK(parsed->language == "de");
    CHECK(parsed->channel == std::optional<std::string>("letter"));
    CHECK(parsed->note == std::optional<std::string>("came with a copy of the ID card"));
  }

  TEST_CASE("defaults to today and the default language") {
    const nlohmann::json body = {{"type", "access"}, {"subject", {{"customer_id", "K-1"}}}};
    auto parsed = ParseNewRequest(body, kToday, "en");
    REQUIRE(parsed.ok());
    CHECK(parsed->received_on == kToday);
    CHECK(parsed->language == "en");
    CHECK_FALSE(parsed->channel.has_value());
    CHECK_FALSE(parsed->note.has_value());
    CHECK(ParseNewRequest(body, kToday, "de")->language == "de");
  }

  TEST_CASE("accepts a request received today") {
    nlohmann::json body = ValidBody();
    body["received_on"] = "2025-03-05";
    auto parsed = ParseNewRequest(body, kToday, "en");
    REQUIRE(parsed.ok());
    CHECK(parsed->received_on == kToday);
  }

  TEST_CASE("refuses a receipt date after today, naming received_on") {
    nlohmann::json body = ValidBody();
    body["received_on"] = "2025-03-06";
    auto parsed = ParseNewRequest(body, kToday, "en");
    CHECK(parsed.status().code() == StatusCode::kValidation);
    CHECK(DetailNames(parsed.status(), "received_on"));
  }

  TEST_CASE("refuses a date that does not exist, naming received_on") {
    nlohmann::json body = ValidBody();
    body["received_on"] = "2025-02-30";
    auto parsed = ParseNewRequest(body, kToday, "en");
    CHECK(parsed.status().code() == StatusCode::kValidation);
    CHECK(DetailNames(parsed.status(), "received_on"));
  }

  TEST_CASE("a rectification carries corrections; other types must not") {
    nlohmann::json body = ValidBody();
    body["type"] = "rectification";
    CHECK(DetailNames(ParseNewRequest(body, kToday, "en").status(), "corrections"));
    body["corrections"] = {{"email", "neu@example.org"}, {"postal_address", {{"city", "Köln"}}}};
    auto parsed = ParseNewRequest(body, kToday, "en");
    REQUIRE(parsed.ok());
    CHECK(nlohmann::json::parse(*parsed->corrections) == body["corrections"]);
    body["type"] = "erasure";
    CHECK(DetailNames(ParseNewRequest(body, kToday, "en").status(), "corrections"));
    body.erase("corrections");
    CHECK(ParseNewRequest(body, kToday, "en").ok());
    body["type"] = "rectification";
    body["corrections"] = {{"postal_address", {{"country", "Germany"}}}};
    CHECK(ParseNewRequest(body, kToday, "en").status().code() == StatusCode::kValidation);
  }

  TEST_CASE("a body that breaks the schema is a validation error naming the field") {
    nlohmann::json body = ValidBody();
    std::string field;
    SUBCASE("bad e-mail address") {
      body["subject"]["email"] = "not-an-address";
      field = "subject.email";
    }
    SUBCASE("unknown identity") {
      body["subject"]["shoe_size"] = "44";
      field = "subject";
    }
    SUBCASE("no identity at all") {
      body["subject"] = nlohmann::json::object();
      field = "subject";
    }
    SUBCASE("unknown type") {
      body["type"] = "objection";
      field = "type";
    }
    SUBCASE("date in another format") {
      body["received_on"] = "5.3.2025";
      field = "received_on";
    }
    SUBCASE("unknown language") {
      body["language"] = "fr";
      field = "language";
    }
    SUBCASE("note of the wrong type") {
      body["note"] = 42;
      field = "note";
    }
    CAPTURE(field);
    auto parsed = ParseNewRequest(body, kToday, "en");
    REQUIRE(parsed.status().code() == StatusCode::kValidation);
    CAPTURE(parsed.status().ToString());
    CHECK(DetailNames(parsed.status(), field));
  }

  TEST_CASE("identity values and corrections with control characters are refused, named by path") {
    nlohmann::json body = ValidBody();
    std::string field;
    SUBCASE("CRLF and a header in a name (mail header injection)") {
      body["subject"]["name"] = "Anna Muster\r\nBcc: all@example.org";
      field = "subject.name";
    }
    SUBCASE("CRLF and an IMAP command in a customer id") {
      body["subject"]["customer_id"] = "C-1\r\na1 DELETE INBOX";
      field = "subject.customer_id";
    }
    SUBCASE("NUL in a name") {
      body["subject"]["name"] = std::string("Anna\0../../etc/passwd", 21);
      field = "subject.name";
    }
    SUBCASE("a tab or DEL") {
      body["subject"]["customer_id"] =
          "C\x7f"
          "1";
      field = "subject.customer_id";
    }
    SUBCASE("a line break in a correction") {
      body["type"] = "rectification";
      body["corrections"] = {{"postal_address", {{"street", "Hauptstr. 1\nSubject: x"}}}};
      field = "corrections.postal_address.street";
    }
    CAPTURE(field);
    auto parsed = ParseNewRequest(body, kToday, "en");
    REQUIRE(parsed.status().code() == StatusCode::kValidation);
    CAPTURE(parsed.status().ToString());
    CHECK(DetailNames(parsed.status(), field));
    // The message names where, never the value itself.
    CHECK_FALSE(Contains(parsed.status().ToString(), "Bcc"));
    CHECK_FALSE(Contains(parsed.status().ToString(), "DELETE"));
  }

  TEST_CASE("SQL and search syntax in identity values is data, not refused") {
    nlohmann::json body = ValidBody();
    body["subject"]["name"] = "x'; DROP TABLE customers; --";
    body["subject"]["customer_id"] = "' OR '1'='1";
    auto parsed = ParseNewRequest(body, kToday, "en");
    REQUIRE(parsed.ok());
    CHECK(parsed->subject.at("customer_id") == "' OR '1'='1");
  }

  TEST_CASE("a body without a required field names the field") {
    nlohmann::json body = ValidBody();
    body.erase("type");
    auto parsed = ParseNewRequest(body, kToday, "en");
    REQUIRE(parsed.status().code() == StatusCode::kValidation);
    REQUIRE(parsed.status().details().size() == 1);
    CHECK(Contains(parsed.status().details()[0], "type"));
    CHECK(ParseNewRequest(nlohmann::json::array(), kToday, "en").status().code() ==
          StatusCode::kValidation);
  }

  TEST_CASE("Submit stores the request in progress with its deadline and one task per source") {
    testing::WorkflowFixture f;
    NewRequest input = f.AccessRequest();
    input.note = "asked by phone first";
    const auto planned_value = f.Submit(input);
    const auto* planned = &planned_value;

    auto stored = f.store->GetRequest(planned->request.id);
    REQUIRE(stored.ok());
    CHECK(stored->status == store::RequestStatus::kInProgress);
    CHECK(stored->type == store::RequestType::kAccess);
    CHECK(stored->received_on == CivilDate(2025, 3, 5));
    // 2025-04-05 is a Saturday: the deadline moves to Monday.
    CHECK(stored->due_on == CivilDate(2025, 4, 7));
    CHECK(stored->subject == input.subject);
    CHECK(stored->language == "de");
    CHECK(stored->channel == std::optional<std::string>("email"));
    CHECK(stored->note == std::optional<std::string>("asked by phone first"));
    CHECK(stored->created_at == "2025-03-05T10:00:00.000Z");
    CHECK(planned->request.status == store::RequestStatus::kInProgress);

    auto tasks = f.store->TasksOfRequest(planned->request.id);
    REQUIRE(tasks.ok());
    REQUIRE(tasks->size() == 2);
    std::vector<std::string> task_sources;
    for (const auto& task : *tasks) {
      CHECK(task.status == store::TaskStatus::kPending);
      CHECK(task.attempts == 0);
      CHECK(task.action == store::TaskAction::kExport);
      task_sources.push_back(task.source);
    }
    CHECK(task_sources == std::vector<std::string>{"crm", "mail"});
    REQUIRE(planned->tasks.size() == 2);
    CHECK(planned->tasks[0].source == "mail");
    CHECK(planned->tasks[1].source == "crm");
  }

  TEST_CASE(
      "Submit writes request.received then request.planned with identities only as keyed hashes") {
    testing::WorkflowFixture f;
    const auto planned = f.Submit();
    auto events = f.store->EventsOfRequest(planned.request.id);
    REQUIRE(events.ok());
    REQUIRE(events->size() == 2);
    CHECK(events->at(0).kind == "request.received");
    CHECK(events->at(0).actor == "agent-7");
    CHECK(events->at(1).kind == "request.planned");
    CHECK(events->at(1).actor == "system");

    const auto received = nlohmann::json::parse(events->at(0).details);
    CHECK(received.at("due_on") == "2025-04-07");
    CHECK(received.at("identities").at("email") == f.hasher.Hash("jürgen.müller@example.org"));
    CHECK(received.at("identities").at("name") == f.hasher.Hash("Jürgen Müller"));
    const auto plan = nlohmann::json::parse(events->at(1).details);
    CHECK(plan.at("sources") == nlohmann::json{"mail", "crm"});

    const store::SubjectIdentities subject = f.AccessRequest().subject;
    for (const auto& event : *events) {
      CAPTURE(event.details);
      for (const auto& identity : subject) CHECK_FALSE(Contains(event.details, identity.second));
      CHECK_FALSE(Contains(event.details, "müller"));
      CHECK_FALSE(Contains(event.details, "example.org"));
    }
    CHECK(store::VerifyAuditChain(*f.store).ok());
  }
}

}  // namespace dsr::workflow
