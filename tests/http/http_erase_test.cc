// Erasure against the stand-in (strategy delete): the tickets the subject
// requested go for good with their comments, then the user, each verified
// gone; tickets the subject is only copied on stay as they are and are
// reported as left untouched; nothing else in the account changes (compared
// through the stand-in's dump before and after).
#include <doctest/doctest.h>

#include "tests/http/standin_fixture.h"

namespace dsr::connectors::testing {
namespace {

std::set<std::string> Minus(const std::set<std::string>& all, const std::set<std::string>& some) {
  std::set<std::string> rest;
  for (const auto& key : all) {
    if (some.count(key) == 0) rest.insert(key);
  }
  return rest;
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

int64_t Route(const nlohmann::json& stats, const char* route) {
  return stats.at("routes").value(route, int64_t{0});
}

}  // namespace

TEST_SUITE("HttpConnector erase") {
  TEST_CASE(
      "erasure deletes the requested tickets with their comments, then the user, and nothing "
      "else") {
    StandinFixture standin;
    const auto& typical = standin.Sample("typical");
    const ExpectedRecords expected = ExpectedFor(standin.data(), typical.email);
    REQUIRE(expected.users.size() == 1);
    REQUIRE_FALSE(expected.requested.empty());
    REQUIRE(expected.tickets.size() > expected.requested.size());  // copied on another's ticket
    const nlohmann::json before = standin.Dump();
    auto connector = standin.NewConnector();
    CollectingSink untouched;
    auto outcomes = connector->Erase({{"email", typical.email}}, ActionScope{}, untouched);
    REQUIRE_MESSAGE(outcomes.ok(), outcomes.status().ToString());
    CHECK(outcomes->size() == 3);
    CHECK(OutcomeOf(*outcomes, "users").kind == OutcomeKind::kErased);
    CHECK(OutcomeOf(*outcomes, "users").records == 1);
    CHECK(OutcomeOf(*outcomes, "tickets").kind == OutcomeKind::kErased);
    CHECK(OutcomeOf(*outcomes, "tickets").records ==
          static_cast<int64_t>(expected.requested.size()));
    CHECK(OutcomeOf(*outcomes, "comments").kind == OutcomeKind::kErased);
    CHECK(OutcomeOf(*outcomes, "comments").records ==
          static_cast<int64_t>(expected.requested_comments.size()));

    // The tickets of other requesters stay, and the review is told so.
    auto left = KeysOf(untouched.records);
    CHECK(left.count("users") == 0);
    CHECK(left["tickets"] == Minus(expected.tickets, expected.requested));
    CHECK(left["comments"] == Minus(expected.comments, expected.requested_comments));

    const nlohmann::json after = standin.Dump();
    CheckErasedOnly(before, after, expected);
    const auto tickets_after = ById(after.at("tickets"));
    for (const auto& copied : Minus(expected.tickets, expected.requested)) {
      REQUIRE(tickets_after.count(copied) == 1);
      CHECK(tickets_after.at(copied) == ById(before.at("tickets")).at(copied));
    }
    const nlohmann::json stats = standin.Stats();
    const auto requested = static_cast<int64_t>(expected.requested.size());
    CHECK(Route(stats, "delete ticket") == requested);
    CHECK(Route(stats, "permanently delete ticket") == requested);
    CHECK(Route(stats, "show ticket") == requested);  // the verification

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
    const nlohmann::json once = standin.Dump();
    auto again = connector->Erase({{"email", typical.email}}, ActionScope{}, untouched);
    REQUIRE_MESSAGE(again.ok(), again.status().ToString());
    for (const char* collection : {"users", "tickets", "comments"}) {
      CHECK(OutcomeOf(*again, collection).kind == OutcomeKind::kNotFound);
      CHECK(OutcomeOf(*again, collection).records == 0);
    }
    CHECK(standin.Dump() == once);
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
    CollectingSink copied;
    auto erased = connector->Erase(subject, accepted, copied);
    REQUIRE_MESSAGE(erased.ok(), erased.status().ToString());
    CHECK(OutcomeOf(*erased, "users").records == 1);
    auto left = KeysOf(copied.records);
    CHECK(left.count("users") == 0);
    CHECK(left["tickets"] == Minus(expected.tickets, expected.requested));
    CheckErasedOnly(before, standin.Dump(), expected);
  }

  TEST_CASE("a scope of only some users erases them and their requested tickets by id") {
    StandinFixture standin;
    const auto& typical = standin.Sample("typical");
    const ExpectedRecords expected = ExpectedFor(standin.data(), typical.email);
    const nlohmann::json before = standin.Dump();
    auto connector = standin.NewConnector();
    ActionScope only;
    only.mode = ActionScope::Mode::kOnly;
    only.selection["users"] = expected.users;
    CollectingSink untouched;
    auto outcomes = connector->Erase({}, only, untouched);
    REQUIRE_MESSAGE(outcomes.ok(), outcomes.status().ToString());
    CHECK(OutcomeOf(*outcomes, "users").kind == OutcomeKind::kErased);
    CHECK(OutcomeOf(*outcomes, "tickets").records ==
          static_cast<int64_t>(expected.requested.size()));
    CheckErasedOnly(before, standin.Dump(), expected);
    auto again = connector->Erase({}, only, untouched);
    REQUIRE(again.ok());
    CHECK(OutcomeOf(*again, "users").kind == OutcomeKind::kNotFound);
    CHECK(OutcomeOf(*again, "tickets").kind == OutcomeKind::kNotFound);
  }

  TEST_CASE("a scope key that is not a Zendesk id is refused before any request") {
    StandinFixture standin;
    auto connector = standin.NewConnector();
    for (const bool retention_ended : {false, true}) {
      for (const char* collection : {"users", "tickets"}) {
        ActionScope only;
        only.mode = ActionScope::Mode::kOnly;
        only.retention_ended = retention_ended;
        only.selection[collection] = {"../tickets/1"};
        CollectingSink untouched;
        auto outcomes = connector->Erase({}, only, untouched);
        if (!retention_ended && std::string(collection) == "tickets") {
          CHECK(outcomes.ok());  // ticket keys alone change nothing before retention ends
          continue;
        }
        REQUIRE_FALSE(outcomes.ok());
        CHECK(outcomes.status().code() == StatusCode::kInvalidArgument);
      }
    }
    CHECK(standin.Stats().at("requests") == 0);
  }

  TEST_CASE("the requester of a ticket that is not closed is erased, since the tickets go first") {
    StandinFixture standin;
    const std::string email = RequesterOfOpenTicket(standin.data());
    const ExpectedRecords expected = ExpectedFor(standin.data(), email);
    const nlohmann::json before = standin.Dump();
    auto connector = standin.NewConnector();
    CollectingSink untouched;
    auto outcomes = connector->Erase({{"email", email}}, ActionScope{}, untouched);
    REQUIRE_MESSAGE(outcomes.ok(), outcomes.status().ToString());
    CHECK(OutcomeOf(*outcomes, "users").records == 1);
    CheckErasedOnly(before, standin.Dump(), expected);
  }

  TEST_CASE("Zendesk still refuses to delete a user named alone whose open tickets remain") {
    StandinFixture standin;
    const std::string email = RequesterOfOpenTicket(standin.data());
    const ExpectedRecords expected = ExpectedFor(standin.data(), email);
    const nlohmann::json before = standin.Dump();
    auto connector = standin.NewConnector();
    ActionScope hold;
    hold.mode = ActionScope::Mode::kOnly;
    hold.retention_ended = true;
    hold.selection["users"] = expected.users;
    CollectingSink untouched;
    auto outcomes = connector->Erase({}, hold, untouched);
    REQUIRE_FALSE(outcomes.ok());
    CHECK(outcomes.status().code() == StatusCode::kConflict);
    const std::string& message = outcomes.status().message();
    CHECK(message.find("delete user") != std::string::npos);
    CHECK(message.find("not closed") != std::string::npos);
    CHECK(message.find(email) == std::string::npos);
    CHECK(standin.Dump() == before);
  }

  TEST_CASE(
      "a delete the server acknowledges but does not do fails verification; a retry ends it") {
    StandinFixture standin;
    const auto& typical = standin.Sample("typical");
    const ExpectedRecords expected = ExpectedFor(standin.data(), typical.email);
    const nlohmann::json before = standin.Dump();
    auto connector = standin.NewConnector();
    // The first ticket's delete and permanent delete are answered 204 and not done.
    standin.SetFaults({{"ignore_deletes", 2}});
    CollectingSink untouched;
    auto outcomes = connector->Erase({{"email", typical.email}}, ActionScope{}, untouched);
    REQUIRE_FALSE(outcomes.ok());
    CHECK(outcomes.status().code() == StatusCode::kInternal);
    CHECK(outcomes.status().message().rfind("verification failed: 1 of ", 0) == 0);
    CHECK(outcomes.status().message().find("tickets are still found") != std::string::npos);
    CHECK(standin.Stats().at("ignored") == 2);
    // The user stays until its tickets are gone, so that a retry finds them.
    CHECK(ById(standin.Dump().at("users")).count(*expected.users.begin()) == 1);

    auto retried = connector->Erase({{"email", typical.email}}, ActionScope{}, untouched);
    REQUIRE_MESSAGE(retried.ok(), retried.status().ToString());
    CHECK(OutcomeOf(*retried, "tickets").records == 1);
    CHECK(OutcomeOf(*retried, "users").records == 1);
    CheckErasedOnly(before, standin.Dump(), expected);
  }
}

}  // namespace dsr::connectors::testing
