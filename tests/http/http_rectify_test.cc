// Rectification against the stand-in: only the subject's user changes, and
// only in the mapped fields (plus the updated_at the service keeps).
#include <doctest/doctest.h>

#include "tests/http/standin_fixture.h"

namespace dsr::connectors::testing {
namespace {

nlohmann::json UserOf(const nlohmann::json& dump, const std::string& id) {
  for (const auto& user : dump.at("users")) {
    if (IdText(user.at("id")) == id) return user;
  }
  FAIL("no user " << id);
  return {};
}

// The dump without the updated_at of users and identities, which every change sets.
nlohmann::json WithoutUpdateTimes(nlohmann::json dump) {
  for (const char* list : {"users", "identities"}) {
    for (auto& record : dump.at(list)) record.erase("updated_at");
  }
  return dump;
}

Result<std::vector<CollectionOutcome>> Rectify(Connector& connector, const Subject& subject,
                                               const nlohmann::json& corrections) {
  CollectingSink untouched;
  return connector.Rectify(subject, corrections, ActionScope{}, untouched);
}

}  // namespace

TEST_SUITE("HttpConnector rectify") {
  TEST_CASE("rectification changes only the mapped fields of the subject's user") {
    StandinFixture standin;
    const auto& typical = standin.Sample("typical");
    const std::string id = *ExpectedFor(standin.data(), typical.email).users.begin();
    const nlohmann::json before = standin.Dump();
    auto connector = standin.NewConnector();
    const nlohmann::json corrections = {{"phone", typical.phone},
                                        {"name", {{"given", "Erika"}, {"family", "Musterfrau"}}}};
    auto outcomes = Rectify(*connector, {{"email", typical.email}}, corrections);
    REQUIRE_MESSAGE(outcomes.ok(), outcomes.status().ToString());
    CHECK(OutcomeOf(*outcomes, "users").kind == OutcomeKind::kUpdated);
    CHECK(OutcomeOf(*outcomes, "users").records == 1);
    CHECK(OutcomeOf(*outcomes, "tickets").kind == OutcomeKind::kNotApplicable);
    CHECK(OutcomeOf(*outcomes, "comments").kind == OutcomeKind::kNotApplicable);

    nlohmann::json expected = WithoutUpdateTimes(before);
    for (auto& user : expected.at("users")) {
      if (IdText(user.at("id")) != id) continue;
      user["phone"] = typical.phone;
      user["name"] = "Erika Musterfrau";
    }
    // The user's phone number is its primary phone identity.
    for (auto& identity : expected.at("identities")) {
      if (IdText(identity.at("user_id")) == id && identity.at("type") == "phone_number") {
        identity["value"] = typical.phone;
      }
    }
    const nlohmann::json after = standin.Dump();
    CHECK(WithoutUpdateTimes(after) == expected);

    // Idempotent: the same correction again leaves the same data.
    auto again = Rectify(*connector, {{"email", typical.email}}, corrections);
    REQUIRE(again.ok());
    CHECK(WithoutUpdateTimes(standin.Dump()) == expected);
  }

  TEST_CASE("a correction of one part of the name keeps the other part") {
    StandinFixture standin;
    const auto& typical = standin.Sample("typical");
    const std::string id = *ExpectedFor(standin.data(), typical.email).users.begin();
    const std::string current = UserOf(standin.data(), id).at("name").get<std::string>();
    auto connector = standin.NewConnector();
    REQUIRE(
        Rectify(*connector, {{"email", typical.email}}, {{"name", {{"family", "Neumeier"}}}}).ok());
    const std::string name = UserOf(standin.Dump(), id).at("name").get<std::string>();
    CHECK(name == current.substr(0, current.rfind(' ')) + " Neumeier");
  }

  TEST_CASE("attributes the config does not map are left as they are") {
    StandinFixture standin;
    const auto& typical = standin.Sample("typical");
    const std::string id = *ExpectedFor(standin.data(), typical.email).users.begin();
    nlohmann::json config = standin.Config();
    config["rectify"] = {"phone"};
    auto connector = standin.NewConnector(config);
    auto outcomes = Rectify(*connector, {{"email", typical.email}},
                            {{"email", "new.address@example.com"}, {"phone", "+49 30 5550000"}});
    REQUIRE(outcomes.ok());
    const nlohmann::json user = UserOf(standin.Dump(), id);
    CHECK(user.at("email") == typical.email);
    CHECK(user.at("phone") == "+49 30 5550000");

    auto address_only =
        Rectify(*connector, {{"email", typical.email}}, {{"postal_address", {{"city", "Berlin"}}}});
    REQUIRE(address_only.ok());
    CHECK(OutcomeOf(*address_only, "users").kind == OutcomeKind::kNotApplicable);
  }

  TEST_CASE("an address another user has is refused, and the refusal does not repeat it") {
    StandinFixture standin;
    const auto& typical = standin.Sample("typical");
    const auto& other = standin.Sample("mixed-case-email");
    const nlohmann::json before = standin.Dump();
    auto connector = standin.NewConnector();
    auto outcomes = Rectify(*connector, {{"email", typical.email}}, {{"email", other.email}});
    REQUIRE_FALSE(outcomes.ok());
    CHECK(outcomes.status().code() == StatusCode::kConflict);
    const std::string& message = outcomes.status().message();
    CHECK(message.find("DuplicateValue") != std::string::npos);
    CHECK(message.find(other.email) == std::string::npos);
    CHECK(message.find('@') == std::string::npos);
    CHECK(standin.Dump() == before);
  }
}

}  // namespace dsr::connectors::testing
