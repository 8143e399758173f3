// Erasure against the stand-in: the subject's user is deleted for good and
// verified gone, tickets and comments stay (as Zendesk keeps them) and are
// reported as anonymized, and nothing else in the account changes (compared
// through the stand-in's dump before and after).
#include <doctest/doctest.h>

#include "tests/http/standin_fixture.h"

namespace dsr::connectors::testing {
namespace {

// The dump's users by id, for comparing all but the erased.
std::map<std::string, nlohmann::json> UsersById(const nlohmann::json& dump) {
  std::map<std::string, nlohmann::json> users;
  for (const auto& user : dump.at("users")) users[IdText(user.at("id"))] = user;
  return users;
}

// An end user who requests a ticket that is not closed, and that user's e-mail.
std::string RequesterOfOpenTicket(const nlohmann::json& data) {
  std::set<long long> requesters;
  for (const auto& ticket : data.at("tickets")) {
    if (ticket.at("status") != "closed")
      requesters.insert(ticket.at("requester_id").get<long long>());
  }
  for (const auto& user : data.at("users")) {
    if (requesters.count(user.at("id").get<long long>()) != 0) return user.at("email");
  }
  FAIL("the sample has no open ticket");
  return "";
}

}  // namespace

TEST_SUITE("HttpConnector erase") {
  TEST_CASE("erasure deletes the user for good, keeps the tickets and changes nothing else") {
    StandinFixture standin;
    const auto& typical = standin.Sample("typical");
    const ExpectedRecords expected = ExpectedFor(standin.data(), typical.email);
    const nlohmann::json before = standin.Dump();
    auto connector = standin.NewConnector();
    CollectingSink untouched;
    auto outcomes = connector->Erase({{"email", typical.email}}, ActionScope{}, untouched);
    REQUIRE_MESSAGE(outcomes.ok(), outcomes.status().ToString());
    CHECK(OutcomeOf(*outcomes, "users").kind == OutcomeKind::kErased);
    CHECK(OutcomeOf(*outcomes, "users").records == 1);
    CHECK(OutcomeOf(*outcomes, "tickets").kind == OutcomeKind::kAnonymized);
    CHECK(OutcomeOf(*outcomes, "tickets").records == static_cast<int64_t>(expected.tickets.size()));
    CHECK(OutcomeOf(*outcomes, "comments").kind == OutcomeKind::kAnonymized);
    CHECK(OutcomeOf(*outcomes, "comments").records ==
          static_cast<int64_t>(expected.comments.size()));
    CHECK(untouched.records.empty());

    const nlohmann::json after = standin.Dump();
    auto users_before = UsersById(before);
    users_before.erase(*expected.users.begin());
    CHECK(UsersById(after) == users_before);
    CHECK(after.at("tickets") == before.at("tickets"));
    CHECK(after.at("comments") == before.at("comments"));

    auto located = connector->Locate({{"email", typical.email}});
    REQUIRE(located.ok());
    CHECK(located->confirmed.empty());
  }

  TEST_CASE("erasing twice finds nothing the second time and says so") {
    StandinFixture standin;
    const auto& typical = standin.Sample("typical");
    auto connector = standin.NewConnector();
    CollectingSink untouched;
    REQUIRE(connector->Erase({{"email", typical.email}}, ActionScope{}, untouched).ok());
    auto again = connector->Erase({{"email", typical.email}}, ActionScope{}, untouched);
    REQUIRE_MESSAGE(again.ok(), again.status().ToString());
    for (const char* collection : {"users", "tickets", "comments"}) {
      CHECK(OutcomeOf(*again, collection).kind == OutcomeKind::kNotFound);
      CHECK(OutcomeOf(*again, collection).records == 0);
    }
  }

  TEST_CASE("an ambiguous user is left alone and reported, until an agent includes it") {
    StandinFixture standin;
    const auto& typical = standin.Sample("typical");
    const ExpectedRecords expected = ExpectedFor(standin.data(), typical.email);
    const Subject subject = {{"email", typical.email}, {"phone", typical.phone}};
    const nlohmann::json before = standin.Dump();
    auto connector = standin.NewConnector();
    CollectingSink untouched;
    auto outcomes = connector->Erase(subject, ActionScope{}, untouched);
    REQUIRE(outcomes.ok());
    CHECK(OutcomeOf(*outcomes, "users").kind == OutcomeKind::kNotFound);
    auto keys = KeysOf(untouched.records);
    CHECK(keys["users"] == expected.users);
    CHECK(keys["tickets"] == expected.tickets);
    CHECK(keys["comments"] == expected.comments);
    CHECK(standin.Dump() == before);

    ActionScope accepted;
    accepted.selection["users"] = expected.users;
    CollectingSink none;
    auto erased = connector->Erase(subject, accepted, none);
    REQUIRE_MESSAGE(erased.ok(), erased.status().ToString());
    CHECK(OutcomeOf(*erased, "users").records == 1);
    CHECK(none.records.empty());
  }

  TEST_CASE("a scope of only some users erases them by id") {
    StandinFixture standin;
    const auto& typical = standin.Sample("typical");
    const ExpectedRecords expected = ExpectedFor(standin.data(), typical.email);
    auto connector = standin.NewConnector();
    ActionScope only;
    only.mode = ActionScope::Mode::kOnly;
    only.selection["users"] = expected.users;
    CollectingSink untouched;
    auto outcomes = connector->Erase({}, only, untouched);
    REQUIRE_MESSAGE(outcomes.ok(), outcomes.status().ToString());
    CHECK(OutcomeOf(*outcomes, "users").kind == OutcomeKind::kErased);
    CHECK(OutcomeOf(*outcomes, "tickets").records == static_cast<int64_t>(expected.tickets.size()));
    CHECK(UsersById(standin.Dump()).count(*expected.users.begin()) == 0);
    auto again = connector->Erase({}, only, untouched);
    REQUIRE(again.ok());
    CHECK(OutcomeOf(*again, "users").kind == OutcomeKind::kNotFound);
  }

  TEST_CASE("a scope key that is not a Zendesk id is refused before any request") {
    StandinFixture standin;
    auto connector = standin.NewConnector();
    ActionScope only;
    only.mode = ActionScope::Mode::kOnly;
    only.selection["users"] = {"../tickets/1"};
    CollectingSink untouched;
    auto outcomes = connector->Erase({}, only, untouched);
    REQUIRE_FALSE(outcomes.ok());
    CHECK(outcomes.status().code() == StatusCode::kInvalidArgument);
    CHECK(standin.Stats().at("requests") == 0);
  }

  TEST_CASE("Zendesk refuses to delete the requester of a ticket that is not closed") {
    StandinFixture standin;
    const std::string email = RequesterOfOpenTicket(standin.data());
    const nlohmann::json before = standin.Dump();
    auto connector = standin.NewConnector();
    CollectingSink untouched;
    auto outcomes = connector->Erase({{"email", email}}, ActionScope{}, untouched);
    REQUIRE_FALSE(outcomes.ok());
    CHECK(outcomes.status().code() == StatusCode::kConflict);
    const std::string& message = outcomes.status().message();
    CHECK(message.find("delete user") != std::string::npos);
    CHECK(message.find("not closed") != std::string::npos);
    CHECK(message.find(email) == std::string::npos);
    CHECK(standin.Dump() == before);
  }
}

}  // namespace dsr::connectors::testing
