// A user's e-mail addresses are identities, of which the user's record shows
// the primary one: the stand-in keeps them as Zendesk documents, and the
// connector finds a user by any of them and corrects an address by replacing
// the identity, verified by listing them again.
#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <thread>

#include "connectors/http/api_client.h"
#include "connectors/http/http_config.h"
#include "tests/http/standin_fixture.h"

namespace dsr::connectors::testing {
namespace {

constexpr char kNewAddress[] = "neue.adresse@example.net";
constexpr char kFormerAddress[] = "frueher.adresse@example.net";
constexpr char kOtherAddress[] = "zweite.adresse@example.org";

nlohmann::json UserOf(const nlohmann::json& dump, const std::string& id) {
  for (const auto& user : dump.at("users")) {
    if (IdText(user.at("id")) == id) return user;
  }
  FAIL("no user " << id);
  return {};
}

// The user's identities of `type` in the dump, by value.
std::map<std::string, nlohmann::json> IdentitiesOf(const nlohmann::json& dump,
                                                   const std::string& user,
                                                   const std::string& type = "email") {
  std::map<std::string, nlohmann::json> identities;
  for (const auto& identity : dump.at("identities")) {
    if (IdText(identity.at("user_id")) == user && identity.at("type") == type) {
      identities[identity.at("value").get<std::string>()] = identity;
    }
  }
  return identities;
}

// The dump's identities of everyone but `user`.
std::map<std::string, nlohmann::json> OthersIdentities(const nlohmann::json& dump,
                                                       const std::string& user) {
  std::map<std::string, nlohmann::json> identities = ById(dump.at("identities"));
  for (auto it = identities.begin(); it != identities.end();) {
    it = IdText(it->second.at("user_id")) == user ? identities.erase(it) : std::next(it);
  }
  return identities;
}

std::map<std::string, nlohmann::json> OtherUsers(const nlohmann::json& dump,
                                                 const std::string& user) {
  std::map<std::string, nlohmann::json> users = ById(dump.at("users"));
  users.erase(user);
  return users;
}

long long Route(const nlohmann::json& stats, const char* route) {
  return stats.at("routes").value(route, 0LL);
}

// An authenticated client of the stand-in's API, for what the connector does not ask.
std::unique_ptr<http::ApiClient> ClientOf(const StandinFixture& standin) {
  auto config = http::ParseHttpConfig(standin.Config());
  REQUIRE_MESSAGE(config.ok(), config.status().ToString());
  return std::make_unique<http::ApiClient>(
      *config, [](std::chrono::milliseconds wait) { std::this_thread::sleep_for(wait); });
}

Result<std::vector<CollectionOutcome>> Rectify(Connector& connector, const Subject& subject,
                                               const nlohmann::json& corrections) {
  CollectingSink untouched;
  return connector.Rectify(subject, corrections, ActionScope{}, untouched);
}

// The sample account with two further addresses for the first end user who
// requests a ticket, whose id goes to `*user`.
std::function<void(nlohmann::json&)> WithFurtherAddresses(std::string* user) {
  return [user](nlohmann::json& data) {
    std::set<nlohmann::json> requesters;
    for (const auto& ticket : data.at("tickets")) requesters.insert(ticket.at("requester_id"));
    for (const auto& candidate : data.at("users")) {
      if (candidate.at("role") == "end-user" && requesters.count(candidate.at("id")) != 0) {
        *user = IdText(candidate.at("id"));
        break;
      }
    }
    REQUIRE_FALSE(user->empty());
    const long long id = std::stoll(*user);
    nlohmann::json identities = nlohmann::json::array();
    long long next = 6200000000001;
    for (const char* address : {kFormerAddress, kOtherAddress}) {
      identities.push_back({{"id", next++},
                            {"user_id", id},
                            {"type", "email"},
                            {"value", address},
                            {"primary", false},
                            {"verified", true},
                            {"created_at", "2020-01-02T03:04:05Z"},
                            {"updated_at", "2020-01-02T03:04:05Z"}});
    }
    data["identities"] = identities;
  };
}

}  // namespace

TEST_SUITE("HttpConnector identities") {
  TEST_CASE("rectifying the e-mail leaves the new address as the user's only, primary one") {
    StandinFixture standin;
    const auto& typical = standin.Sample("typical");
    const std::string id = *ExpectedFor(standin.data(), typical.email).users.begin();
    const nlohmann::json before = standin.Dump();
    REQUIRE(IdentitiesOf(before, id).size() == 1);
    auto connector = standin.NewConnector();
    auto outcomes = Rectify(*connector, {{"email", typical.email}}, {{"email", kNewAddress}});
    REQUIRE_MESSAGE(outcomes.ok(), outcomes.status().ToString());
    CHECK(OutcomeOf(*outcomes, "users").kind == OutcomeKind::kUpdated);
    CHECK(OutcomeOf(*outcomes, "users").records == 1);

    const nlohmann::json after = standin.Dump();
    const auto emails = IdentitiesOf(after, id);
    REQUIRE(emails.size() == 1);
    CHECK(emails.begin()->first == kNewAddress);
    CHECK(emails.begin()->second.at("primary") == true);
    CHECK(IdentitiesOf(after, id, "phone_number") == IdentitiesOf(before, id, "phone_number"));
    nlohmann::json user = UserOf(after, id), was = UserOf(before, id);
    CHECK(user.at("email") == kNewAddress);
    for (const char* field : {"email", "updated_at"}) {
      user.erase(field);
      was.erase(field);
    }
    CHECK(user == was);
    CHECK(OtherUsers(after, id) == OtherUsers(before, id));
    CHECK(OthersIdentities(after, id) == OthersIdentities(before, id));
    // The user's `email` is not written: the service would only add the address.
    CHECK(Route(standin.Stats(), "update user") == 0);

    // Done is done: the subject by the new address finds nothing left to change.
    const nlohmann::json done = standin.Dump();
    auto again = Rectify(*connector, {{"email", kNewAddress}}, {{"email", kNewAddress}});
    REQUIRE_MESSAGE(again.ok(), again.status().ToString());
    CHECK(OutcomeOf(*again, "users").kind == OutcomeKind::kNotApplicable);
    CHECK(standin.Dump() == done);
  }

  TEST_CASE("a user who holds the subject's address besides its primary one is found") {
    std::string id;
    StandinFixture standin({}, WithFurtherAddresses(&id));
    const nlohmann::json before = standin.Dump();
    const std::string primary = UserOf(before, id).at("email").get<std::string>();
    REQUIRE(IdentitiesOf(before, id).size() == 3);
    REQUIRE(IdentitiesOf(before, id).at(primary).at("primary") == true);
    auto connector = standin.NewConnector();

    CollectingSink sink;
    REQUIRE(connector->Export({{"email", kFormerAddress}}, sink).ok());
    const auto keys = KeysOf(sink.records);
    REQUIRE(keys.count("users") == 1);
    CHECK(keys.at("users") == std::set<std::string>{id});
    CHECK(keys.count("tickets") == 1);
    for (const auto& record : sink.records) {
      CHECK_MESSAGE(record.match == Match::kConfirmed, record.collection);
    }
    CHECK(Route(standin.Stats(), "list identities") == 1);

    // By the primary address, the record shows it: no identities are listed.
    auto located = connector->Locate({{"email", primary}});
    REQUIRE(located.ok());
    CHECK(located->confirmed["users"] == 1);
    CHECK(Route(standin.Stats(), "list identities") == 1);
  }

  TEST_CASE("a correction replaces the subject's address and the record's, and keeps others") {
    std::string id;
    StandinFixture standin({}, WithFurtherAddresses(&id));
    const nlohmann::json before = standin.Dump();
    auto connector = standin.NewConnector();
    auto outcomes = Rectify(*connector, {{"email", kFormerAddress}}, {{"email", kNewAddress}});
    REQUIRE_MESSAGE(outcomes.ok(), outcomes.status().ToString());
    CHECK(OutcomeOf(*outcomes, "users").records == 1);
    const nlohmann::json after = standin.Dump();
    const auto emails = IdentitiesOf(after, id);
    CHECK(emails.size() == 2);
    REQUIRE(emails.count(kNewAddress) == 1);
    CHECK(emails.at(kNewAddress).at("primary") == true);
    REQUIRE(emails.count(kOtherAddress) == 1);
    CHECK(emails.at(kOtherAddress) == IdentitiesOf(before, id).at(kOtherAddress));
    CHECK(UserOf(after, id).at("email") == kNewAddress);
    CHECK(OthersIdentities(after, id) == OthersIdentities(before, id));
  }

  TEST_CASE("the stand-in adds an address given as a user's email instead of replacing it") {
    StandinFixture standin;
    const auto& typical = standin.Sample("typical");
    const std::string id = *ExpectedFor(standin.data(), typical.email).users.begin();
    auto client = ClientOf(standin);
    auto answer = client->Put("update user", "/api/v2/users/" + id + ".json",
                              {{"user", {{"email", kNewAddress}}}});
    REQUIRE_MESSAGE(answer.ok(), answer.status().ToString());
    CHECK(answer->at("user").at("email") == typical.email);  // the primary stays
    const auto emails = IdentitiesOf(standin.Dump(), id);
    REQUIRE(emails.size() == 2);
    CHECK(emails.at(typical.email).at("primary") == true);
    CHECK(emails.at(kNewAddress).at("primary") == false);
    // So the old address still finds the user.
    auto located = standin.NewConnector()->Locate({{"email", typical.email}});
    REQUIRE(located.ok());
    CHECK(located->confirmed["users"] == 1);
  }

  TEST_CASE("a replaced address the service keeps fails the rectification's verification") {
    StandinFixture standin;
    const auto& typical = standin.Sample("typical");
    const std::string id = *ExpectedFor(standin.data(), typical.email).users.begin();
    auto connector = standin.NewConnector();
    standin.SetFaults({{"ignore_deletes", 1}});
    auto outcomes = Rectify(*connector, {{"email", typical.email}}, {{"email", kNewAddress}});
    REQUIRE_FALSE(outcomes.ok());
    CHECK(outcomes.status().code() == StatusCode::kInternal);
    const std::string& message = outcomes.status().message();
    CHECK(message.find("verification failed") != std::string::npos);
    CHECK(message.find('@') == std::string::npos);
    CHECK(standin.Stats().at("ignored") == 1);
    CHECK(IdentitiesOf(standin.Dump(), id).count(typical.email) == 1);

    // Run again once the service deletes: the old address goes.
    auto again = Rectify(*connector, {{"email", typical.email}}, {{"email", kNewAddress}});
    REQUIRE_MESSAGE(again.ok(), again.status().ToString());
    const auto emails = IdentitiesOf(standin.Dump(), id);
    CHECK(emails.size() == 1);
    CHECK(emails.count(kNewAddress) == 1);
  }

  TEST_CASE("the stand-in's identity routes answer as Zendesk documents") {
    StandinFixture standin;
    const auto& typical = standin.Sample("typical");
    const auto& other = standin.Sample("mixed-case-email");
    const std::string id = *ExpectedFor(standin.data(), typical.email).users.begin();
    const std::string base = "/api/v2/users/" + id + "/identities";
    auto client = ClientOf(standin);
    const auto primary_id = IdText(IdentitiesOf(standin.Dump(), id).at(typical.email).at("id"));

    // Another user's address is refused; the primary address cannot be deleted.
    auto taken = client->Post("create identity", base + ".json",
                              {{"identity", {{"type", "email"}, {"value", other.email}}}});
    CHECK(taken.status().code() == StatusCode::kConflict);
    auto primary = client->Delete("delete identity", base + "/" + primary_id + ".json");
    CHECK(primary.status().code() == StatusCode::kConflict);

    auto created = client->Post("create identity", base + ".json",
                                {{"identity", {{"type", "email"}, {"value", kNewAddress}}}});
    REQUIRE_MESSAGE(created.ok(), created.status().ToString());
    const std::string new_id = IdText(created->at("identity").at("id"));
    CHECK(created->at("identity").at("primary") == false);

    // Pages like the other lists.
    auto first = client->Get("list identities", base + ".json?page%5Bsize%5D=1");
    REQUIRE(first.ok());
    CHECK(first->at("identities").size() == 1);
    CHECK(first->at("meta").at("has_more") == true);

    auto made = client->Put("make identity primary", base + "/" + new_id + "/make_primary.json",
                            nlohmann::json::object());
    REQUIRE_MESSAGE(made.ok(), made.status().ToString());
    CHECK(made->at("identities").size() >= 2);
    REQUIRE(client->Delete("delete identity", base + "/" + primary_id + ".json").ok());
    auto gone = client->Delete("delete identity", base + "/" + primary_id + ".json");
    CHECK(gone.status().code() == StatusCode::kNotFound);
    CHECK(UserOf(standin.Dump(), id).at("email") == kNewAddress);
  }
}

}  // namespace dsr::connectors::testing
