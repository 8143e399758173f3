// Access requests against the stand-in: the connector finds exactly the
// records that the data file says belong to the subject (computed here
// without the connector), tells confirmed from ambiguous users, and Discover
// says where personal data sits.
#include <doctest/doctest.h>

#include "tests/http/standin_fixture.h"

namespace dsr::connectors::testing {
namespace {

std::vector<FoundRecord> Exported(Connector& connector, const Subject& subject) {
  CollectingSink sink;
  const Status exported = connector.Export(subject, sink);
  REQUIRE_MESSAGE(exported.ok(), exported.ToString());
  return sink.records;
}

const FoundRecord& UserRecord(const std::vector<FoundRecord>& records) {
  for (const auto& record : records) {
    if (record.collection == "users") return record;
  }
  FAIL("no user record");
  return records.front();
}

}  // namespace

TEST_SUITE("HttpConnector access") {
  TEST_CASE("export finds exactly the subject's user, tickets and comments") {
    StandinFixture standin;
    const auto& typical = standin.Sample("typical");
    const ExpectedRecords expected = ExpectedFor(standin.data(), typical.email);
    REQUIRE(expected.users.size() == 1);
    REQUIRE(expected.tickets.size() >= 4);  // three requested, one copied
    auto connector = standin.NewConnector();
    const auto records = Exported(*connector, {{"email", typical.email}});
    auto keys = KeysOf(records);
    CHECK(keys["users"] == expected.users);
    CHECK(keys["tickets"] == expected.tickets);
    CHECK(keys["comments"] == expected.comments);
    for (const auto& record : records) CHECK(record.match == Match::kConfirmed);

    const FoundRecord& user = UserRecord(records);
    CHECK(user.attributes.at("email") == typical.email);
    CHECK(user.attributes.at("name") == typical.name);
    // The ticket system has an old number: the coordinator shows the difference.
    CHECK(user.attributes.at("phone") != typical.phone);
    CHECK(user.record.at("role") == "end-user");
    for (const auto& record : records) {
      if (record.collection == "comments") CHECK(record.record.contains("ticket_id"));
    }

    auto located = connector->Locate({{"email", typical.email}});
    REQUIRE(located.ok());
    CHECK(located->confirmed["users"] == 1);
    CHECK(located->confirmed["tickets"] == static_cast<int64_t>(expected.tickets.size()));
    CHECK(located->confirmed["comments"] == static_cast<int64_t>(expected.comments.size()));
    CHECK(located->ambiguous.empty());
  }

  TEST_CASE("the CRM's phone number contradicts the ticket system's: the user is ambiguous") {
    StandinFixture standin;
    const auto& typical = standin.Sample("typical");
    auto connector = standin.NewConnector();
    const auto records = Exported(*connector, {{"email", typical.email}, {"phone", typical.phone}});
    REQUIRE_FALSE(records.empty());
    for (const auto& record : records) CHECK(record.match == Match::kAmbiguous);
    CHECK(UserRecord(records).ambiguity == "matches email; phone differs");
    // The ambiguity names attributes, never values.
    CHECK(UserRecord(records).ambiguity.find(typical.phone) == std::string::npos);
    auto located = connector->Locate({{"email", typical.email}, {"phone", typical.phone}});
    REQUIRE(located.ok());
    CHECK(located->confirmed.empty());
    CHECK(located->ambiguous["users"] == 1);
  }

  TEST_CASE("an e-mail address written in another case finds the user") {
    StandinFixture standin;
    const auto& mixed = standin.Sample("mixed-case-email");
    const std::string as_stored = standin.Customer(mixed.customer_number).email;
    REQUIRE(as_stored != mixed.email);
    auto connector = standin.NewConnector();
    auto keys = KeysOf(Exported(*connector, {{"email", as_stored}}));
    CHECK(keys["users"] == ExpectedFor(standin.data(), mixed.email).users);
  }

  TEST_CASE("searching by phone finds the people who share a number and tells them apart") {
    StandinFixture standin;
    const auto& sharer = standin.Sample("shares-phone-with:");
    nlohmann::json config = standin.Config();
    config["search_by"] = {"email", "phone"};
    auto connector = standin.NewConnector(config);
    const auto records = Exported(*connector, {{"email", sharer.email}, {"phone", sharer.phone}});
    int confirmed = 0, ambiguous = 0;
    for (const auto& record : records) {
      if (record.collection != "users") continue;
      if (record.match == Match::kConfirmed) {
        ++confirmed;
        CHECK(record.attributes.at("email") == sharer.email);
      } else {
        ++ambiguous;
        CHECK(record.ambiguity == "matches phone; email differs");
      }
    }
    CHECK(confirmed == 1);
    CHECK(ambiguous >= 1);
  }

  TEST_CASE("a subject the ticket system does not know has nothing there") {
    StandinFixture standin;
    auto connector = standin.NewConnector();
    CHECK(Exported(*connector, {{"email", "nobody@example.invalid"}}).empty());
    auto located = connector->Locate({{"email", "nobody@example.invalid"}});
    REQUIRE(located.ok());
    CHECK(located->confirmed.empty());
    CHECK(located->ambiguous.empty());
  }

  TEST_CASE("discover reports the places of personal data without values") {
    StandinFixture standin;
    auto connector = standin.NewConnector();
    auto places = connector->Discover();
    REQUIRE_MESSAGE(places.ok(), places.status().ToString());
    std::map<std::string, PersonalDataPlace> by_place;
    for (const auto& place : *places) by_place[place.place] = place;
    REQUIRE(by_place.count("users.email") == 1);
    CHECK(by_place["users.email"].kinds.count("email") == 1);
    REQUIRE(by_place.count("users.phone") == 1);
    CHECK(by_place["users.phone"].kinds.count("phone") == 1);
    CHECK(by_place.count("tickets.description") == 1);
    CHECK(by_place.count("tickets.via.source.from.address") == 1);
    REQUIRE(by_place.count("comments.body") == 1);
    REQUIRE(by_place.count("comments.metadata.system.ip_address") == 1);
    CHECK(by_place["comments.metadata.system.ip_address"].kinds.count("ip_address") == 1);
    for (const auto& place : *places) CHECK(place.occurrences > 0);
  }
}

}  // namespace dsr::connectors::testing
