// Erasure under a retention obligation (config erasure.strategy retain)
// against the stand-in: nothing in the account changes; the subject's user,
// requested tickets and their comments are reported as retained, one outcome
// per end date with the keys, the end dates computed here from the data file
// alone; when a hold ends, erasing exactly its keys deletes them.
#include <doctest/doctest.h>

#include <functional>

#include "common/civil_date.h"
#include "tests/http/standin_fixture.h"

namespace dsr::connectors::testing {
namespace {

constexpr char kLegalBasis[] = "§257 HGB: Handelsbriefe";

nlohmann::json RetainConfig(const StandinFixture& standin, const std::string& from) {
  nlohmann::json config = standin.Config();
  config["erasure"] = {{"strategy", "retain"},
                       {"retain", {{"legal_basis", kLegalBasis}, {"years", 6}, {"from", from}}}};
  return config;
}

CivilDate CreatedOn(const nlohmann::json& record) {
  return CivilDate::Parse(record.at("created_at").get<std::string>().substr(0, 10)).value();
}

CivilDate SixYearsAfterEndOfYear(CivilDate created) {
  return CivilDate(created.year() + 6, 12, 31);
}

CivilDate SixYearsAfterDay(CivilDate created) {
  const int year = created.year() + 6;
  return CivilDate(year, created.month(),
                   std::min(created.day(), CivilDate::DaysInMonth(year, created.month())));
}

// The e-mail address of a user whose requested tickets are all closed and
// were created in different years, so that their holds end on different days.
std::string RequesterOverSeveralYears(const nlohmann::json& data) {
  std::map<long long, std::set<int>> years;
  std::set<long long> open;
  for (const auto& ticket : data.at("tickets")) {
    const long long requester = ticket.at("requester_id").get<long long>();
    years[requester].insert(CreatedOn(ticket).year());
    if (ticket.at("status") != "closed") open.insert(requester);
  }
  for (const auto& user : data.at("users")) {
    const long long id = user.at("id").get<long long>();
    if (years[id].size() >= 2 && open.count(id) == 0 && user.at("email").is_string()) {
      return user.at("email").get<std::string>();
    }
  }
  FAIL("the sample has no requester of closed tickets over several years");
  return "";
}

// End date ("YYYY-MM-DD") → keys.
using Holds = std::map<std::string, std::set<std::string>>;

struct ExpectedHolds {
  Holds users, tickets, comments;
};

ExpectedHolds HoldsFor(const nlohmann::json& data, const ExpectedRecords& expected,
                       const std::function<CivilDate(CivilDate)>& until) {
  ExpectedHolds holds;
  std::map<std::string, CivilDate> ticket_until, user_until;
  for (const auto& ticket : data.at("tickets")) {
    const std::string id = IdText(ticket.at("id"));
    if (expected.requested.count(id) > 0) ticket_until[id] = until(CreatedOn(ticket));
  }
  // A ticket is kept as long as its latest comment (a letter of its own).
  for (const auto& comment : data.at("comments")) {
    const auto ticket = ticket_until.find(IdText(comment.at("ticket_id")));
    if (ticket != ticket_until.end() && ticket->second < until(CreatedOn(comment)))
      ticket->second = until(CreatedOn(comment));
  }
  for (const auto& ticket : data.at("tickets")) {
    const std::string id = IdText(ticket.at("id"));
    if (ticket_until.count(id) == 0) continue;
    const CivilDate end = ticket_until.at(id);
    holds.tickets[end.ToString()].insert(id);
    const std::string user = IdText(ticket.at("requester_id"));
    if (user_until.count(user) == 0 || user_until[user] < end) user_until[user] = end;
  }
  for (const auto& comment : data.at("comments")) {
    const std::string ticket = IdText(comment.at("ticket_id"));
    if (ticket_until.count(ticket) == 0) continue;
    holds.comments[ticket_until.at(ticket).ToString()].insert(IdText(comment.at("id")));
  }
  for (const auto& [user, end] : user_until) holds.users[end.ToString()].insert(user);
  return holds;
}

// The retained outcomes of `collection` as holds; each must be well formed
// and name an end date no other outcome of the collection names.
Holds HoldsOf(const std::vector<CollectionOutcome>& outcomes, const std::string& collection) {
  Holds holds;
  std::string previous;
  for (const auto& outcome : outcomes) {
    if (outcome.collection != collection) continue;
    REQUIRE(outcome.kind == OutcomeKind::kRetained);
    REQUIRE(outcome.retained_until.has_value());
    const std::string until = outcome.retained_until->ToString();
    CHECK(until > previous);  // one outcome per end date, earliest first
    previous = until;
    CHECK(outcome.legal_basis == kLegalBasis);
    CHECK(outcome.records == static_cast<int64_t>(outcome.keys.size()));
    holds[until].insert(outcome.keys.begin(), outcome.keys.end());
  }
  return holds;
}

std::vector<CollectionOutcome> MustErase(Connector& connector, const Subject& subject,
                                         const ActionScope& scope, RecordSink& untouched) {
  auto outcomes = connector.Erase(subject, scope, untouched);
  REQUIRE_MESSAGE(outcomes.ok(), outcomes.status().ToString());
  return std::move(outcomes.value());
}

}  // namespace

TEST_SUITE("HttpConnector retain") {
  TEST_CASE("retain deletes nothing and reports each record until its period ends, per end date") {
    StandinFixture standin;
    const std::string email = RequesterOverSeveralYears(standin.data());
    const ExpectedRecords expected = ExpectedFor(standin.data(), email);
    const ExpectedHolds holds = HoldsFor(standin.data(), expected, SixYearsAfterEndOfYear);
    REQUIRE(holds.tickets.size() >= 2);
    const nlohmann::json before = standin.Dump();
    auto connector = standin.NewConnector(RetainConfig(standin, "end_of_year"));
    CollectingSink untouched;
    const auto outcomes = MustErase(*connector, {{"email", email}}, {}, untouched);
    CHECK(HoldsOf(outcomes, "users") == holds.users);
    CHECK(HoldsOf(outcomes, "tickets") == holds.tickets);
    CHECK(HoldsOf(outcomes, "comments") == holds.comments);
    CHECK(standin.Dump() == before);
    CHECK(standin.Stats().at("routes").count("delete ticket") == 0);

    CollectingSink again_untouched;
    const auto again = MustErase(*connector, {{"email", email}}, {}, again_untouched);
    CHECK(HoldsOf(again, "tickets") == holds.tickets);
    CHECK(standin.Dump() == before);
  }

  TEST_CASE("a ticket opened in December and answered in January is kept for the answer's year") {
    std::string ticket_id, requester;
    StandinFixture standin({}, [&](nlohmann::json& data) {
      // The first ticket opens on 30 December 2020; its last comment is
      // written on 4 January 2021.
      auto& ticket = data.at("tickets").at(0);
      ticket["created_at"] = "2020-12-30T10:00:00Z";
      ticket_id = IdText(ticket.at("id"));
      requester = IdText(ticket.at("requester_id"));
      for (auto& comment : data.at("comments")) {
        if (IdText(comment.at("ticket_id")) == ticket_id)
          comment["created_at"] = "2020-12-30T10:00:00Z";
      }
      for (auto it = data.at("comments").rbegin(); it != data.at("comments").rend(); ++it) {
        if (IdText(it->at("ticket_id")) != ticket_id) continue;
        (*it)["created_at"] = "2021-01-04T09:00:00Z";
        break;
      }
    });
    REQUIRE_FALSE(ticket_id.empty());
    std::string email;
    for (const auto& user : standin.data().at("users"))
      if (IdText(user.at("id")) == requester) email = user.at("email").get<std::string>();
    REQUIRE_FALSE(email.empty());
    auto connector = standin.NewConnector(RetainConfig(standin, "end_of_year"));
    CollectingSink untouched;
    const auto outcomes = MustErase(*connector, {{"email", email}}, {}, untouched);
    const Holds tickets = HoldsOf(outcomes, "tickets");
    REQUIRE(tickets.count("2027-12-31") == 1);
    CHECK(tickets.at("2027-12-31").count(ticket_id) == 1);
    const ExpectedRecords expected = ExpectedFor(standin.data(), email);
    CHECK(HoldsFor(standin.data(), expected, SixYearsAfterEndOfYear).tickets == tickets);
  }

  TEST_CASE("with from: date the period starts on the day the ticket was created") {
    StandinFixture standin;
    const auto& typical = standin.Sample("typical");
    const ExpectedRecords expected = ExpectedFor(standin.data(), typical.email);
    const ExpectedHolds holds = HoldsFor(standin.data(), expected, SixYearsAfterDay);
    const nlohmann::json before = standin.Dump();
    auto connector = standin.NewConnector(RetainConfig(standin, "date"));
    CollectingSink untouched;
    const auto outcomes = MustErase(*connector, {{"email", typical.email}}, {}, untouched);
    CHECK(HoldsOf(outcomes, "users") == holds.users);
    CHECK(HoldsOf(outcomes, "tickets") == holds.tickets);
    CHECK(HoldsOf(outcomes, "comments") == holds.comments);
    CHECK(standin.Dump() == before);
    // Other requesters' tickets the subject is copied on are not held; they
    // are reported as left untouched.
    std::set<std::string> copied;
    for (const auto& ticket : expected.tickets) {
      if (expected.requested.count(ticket) == 0) copied.insert(ticket);
    }
    REQUIRE_FALSE(copied.empty());
    CHECK(KeysOf(untouched.records)["tickets"] == copied);
  }

  TEST_CASE("when the holds end, their keys are deleted by key alone, in whatever order") {
    StandinFixture standin;
    const std::string email = RequesterOverSeveralYears(standin.data());
    const ExpectedRecords expected = ExpectedFor(standin.data(), email);
    const nlohmann::json before = standin.Dump();
    auto connector = standin.NewConnector(RetainConfig(standin, "end_of_year"));
    CollectingSink untouched;
    const auto retained = MustErase(*connector, {{"email", email}}, {}, untouched);

    std::map<std::string, std::set<std::string>> comments_of;
    for (const auto& comment : standin.data().at("comments")) {
      comments_of[IdText(comment.at("ticket_id"))].insert(IdText(comment.at("id")));
    }
    // The user's hold first: its tickets are closed, so it may go before them;
    // a comment's hold before its ticket's: comments go with their tickets.
    for (const char* collection : {"users", "comments", "tickets"}) {
      for (const auto& hold : retained) {
        if (hold.collection != collection) continue;
        ActionScope ended;
        ended.mode = ActionScope::Mode::kOnly;
        ended.retention_ended = true;
        ended.selection[collection] = std::set<std::string>(hold.keys.begin(), hold.keys.end());
        CollectingSink none;
        const auto done = MustErase(*connector, {}, ended, none);
        CHECK(none.records.empty());
        const auto& outcome = OutcomeOf(done, collection);
        if (std::string(collection) == "comments") {
          CHECK(outcome.kind == OutcomeKind::kNotApplicable);
          continue;
        }
        CHECK(outcome.kind == OutcomeKind::kErased);
        CHECK(outcome.records == hold.records);
        if (std::string(collection) != "tickets") continue;
        size_t comments = 0;
        for (const auto& ticket : hold.keys) comments += comments_of[ticket].size();
        CHECK(OutcomeOf(done, "comments").records == static_cast<int64_t>(comments));
        // A hold erased twice finds nothing left.
        const auto again = MustErase(*connector, {}, ended, none);
        CHECK(OutcomeOf(again, "tickets").kind == OutcomeKind::kNotFound);
      }
    }
    CheckErasedOnly(before, standin.Dump(), expected);
  }
}

}  // namespace dsr::connectors::testing
