// Rectification (Art. 16): corrections go into exactly the mapped columns of
// exactly the rows in scope, as bound values.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "common/config_file.h"
#include "connectors/connector.h"
#include "tests/sql/sample_crm_fixture.h"
#include "tests/sql/sql_test_support.h"

namespace dsr::connectors::testing {
namespace {

std::vector<CollectionOutcome> MustRectify(Connector& connector, const Subject& subject,
                                           const Corrections& corrections, const ActionScope& scope,
                                           RecordSink& untouched) {
  auto outcomes = connector.Rectify(subject, corrections, scope, untouched);
  REQUIRE_MESSAGE(outcomes.ok(), outcomes.status().ToString());
  return outcomes.value();
}

// `before` with the customer's row changed by `changes` (column → value).
TableDump WithChanges(TableDump dump, long long customer, const nlohmann::json& changes) {
  for (auto& row : dump["customers"]) {
    if (row["id"] != customer) continue;
    for (const auto& [column, value] : changes.items()) row[column] = value;
  }
  return dump;
}

void CheckOnlyCustomersUpdated(const std::vector<CollectionOutcome>& outcomes, int64_t customers) {
  for (const auto& outcome : outcomes) {
    INFO("collection " << outcome.collection);
    if (outcome.collection == "customers") {
      CHECK(outcome.kind == OutcomeKind::kUpdated);
      CHECK(outcome.records == customers);
    } else {
      CHECK(outcome.kind == OutcomeKind::kNotApplicable);
    }
  }
}

}  // namespace

TEST_SUITE("SqlConnector rectification") {
  TEST_CASE("writes the corrected parts into the mapped columns of the subject's row only") {
    SampleCrmCopy crm;
    const auto& sample = SampleCustomerOf("typical");
    const long long id = CustomerIdIn(crm.path(), sample.customer_number);
    const TableDump before = DumpTables(crm.path());
    const Corrections corrections = {
        {"email", "neue.adresse@example.net"},
        {"name", {{"family", "Neumann-Schulz"}}},
        {"postal_address",
         {{"street", "Neue Straße 5"}, {"postal_code", "10115"}, {"city", "Berlin"}}}};
    auto connector = crm.Connect();
    CollectingSink untouched;
    const auto outcomes =
        MustRectify(*connector, {{"email", sample.email}}, corrections, {}, untouched);
    CheckOnlyCustomersUpdated(outcomes, 1);
    CHECK(untouched.size() == 0);
    CHECK(DumpTables(crm.path()) == WithChanges(before, id,
                                                {{"email", "neue.adresse@example.net"},
                                                 {"last_name", "Neumann-Schulz"},
                                                 {"street", "Neue Straße 5"},
                                                 {"postal_code", "10115"},
                                                 {"city", "Berlin"}}));
    // The old address no longer finds the subject; the new one does.
    CHECK(connector->Locate({{"email", sample.email}})->confirmed.empty());
    CHECK(connector->Locate({{"email", "neue.adresse@example.net"}})->confirmed.at("customers") ==
          1);
  }

  TEST_CASE("another customer who shares the phone is reported, not corrected") {
    SampleCrmCopy crm;
    const auto& sample = SampleCustomerOf("shares-phone-with:");
    const std::string partner = sample.reason.substr(sample.reason.find(':') + 1);
    const long long id = CustomerIdIn(crm.path(), sample.customer_number);
    const TableDump before = DumpTables(crm.path());
    CollectingSink untouched;
    const auto outcomes =
        MustRectify(*crm.Connect(), {{"email", sample.email}, {"phone", sample.phone}},
                    {{"phone", "+49 30 9999999"}}, {}, untouched);
    CheckOnlyCustomersUpdated(outcomes, 1);
    CHECK(DumpTables(crm.path()) == WithChanges(before, id, {{"phone", "+49 30 9999999"}}));
    const auto reported = untouched.Found("customers");
    REQUIRE(reported.size() == 1);
    CHECK(*reported[0].key == std::to_string(CustomerIdIn(crm.path(), partner)));
    CHECK(reported[0].match == Match::kAmbiguous);
  }

  TEST_CASE("kOnly corrects the named rows whatever the identities say") {
    SampleCrmCopy crm;
    const auto& sample = SampleCustomerOf("mixed-case-email");
    const long long id = CustomerIdIn(crm.path(), sample.customer_number);
    const TableDump before = DumpTables(crm.path());
    ActionScope only;
    only.mode = ActionScope::Mode::kOnly;
    only.selection["customers"] = {std::to_string(id)};
    CollectingSink untouched;
    const auto outcomes =
        MustRectify(*crm.Connect(), {}, {{"name", {{"given", "Max"}}}}, only, untouched);
    CheckOnlyCustomersUpdated(outcomes, 1);
    CHECK(DumpTables(crm.path()) == WithChanges(before, id, {{"first_name", "Max"}}));
  }

  TEST_CASE("corrections that look like SQL are stored as they are") {
    SampleCrmCopy crm;
    const auto& sample = SampleCustomerOf("typical");
    const long long id = CustomerIdIn(crm.path(), sample.customer_number);
    const TableDump before = DumpTables(crm.path());
    const std::string attack = "x'); DROP TABLE orders; --";
    CollectingSink untouched;
    MustRectify(*crm.Connect(), {{"customer_id", sample.customer_number}},
                {{"email", attack + "@example.com"},
                 {"name", {{"given", attack}}},
                 {"postal_address", {{"city", "\" OR 1=1 --"}}}},
                {}, untouched);
    CHECK(DumpTables(crm.path()) == WithChanges(before, id,
                                                {{"email", attack + "@example.com"},
                                                 {"first_name", attack},
                                                 {"city", "\" OR 1=1 --"}}));
  }

  TEST_CASE("nothing to correct: not applicable everywhere, and no change") {
    SampleCrmCopy crm;
    const TableDump before = DumpTables(crm.path());
    CollectingSink untouched;
    for (const auto& outcome : MustRectify(*crm.Connect(), {{"email", "nobody@example.invalid"}},
                                           {{"email", "x@example.com"}}, {}, untouched)) {
      CHECK(outcome.kind == OutcomeKind::kNotApplicable);
      CHECK(outcome.records == 0);
    }
    CHECK(DumpTables(crm.path()) == before);
  }

  TEST_CASE("keyless tables are corrected by their filter; a malformed correction is refused") {
    TempDir dir;
    RawExec(dir.File("db"), R"sql(
      CREATE TABLE newsletter (address TEXT, first TEXT, list TEXT);
      INSERT INTO newsletter VALUES ('a@example.com', 'A', 'weekly'), ('A@example.com', 'A', 'daily'),
                                    ('b@example.com', 'B', 'weekly');
    )sql");
    auto config = YamlToJson(R"yaml(
kind: sql
connection: "sqlite3://db=PATH"
tables:
  - name: newsletter
    identities: {email: {column: address, match: case_insensitive}}
    rectify: {email: address, name: {given: first}}
)yaml");
    REQUIRE(config.ok());
    config.value()["connection"] = "sqlite3://db=" + dir.File("db");
    auto connector = NewConnector(config.value(), "test.yaml");
    REQUIRE(connector.ok());
    CollectingSink untouched;
    const auto outcomes = MustRectify(**connector, {{"email", "a@example.com"}},
                                      {{"email", "new@example.com"}}, {}, untouched);
    REQUIRE(outcomes.size() == 1);
    CHECK(outcomes[0].kind == OutcomeKind::kUpdated);
    CHECK(outcomes[0].records == 2);
    CHECK(RawQuery(dir.File("db"), "SELECT address, first FROM newsletter ORDER BY rowid") ==
          std::vector<nlohmann::json>{{{"address", "new@example.com"}, {"first", "A"}},
                                      {{"address", "new@example.com"}, {"first", "A"}},
                                      {{"address", "b@example.com"}, {"first", "B"}}});
    auto refused =
        (*connector)->Rectify({{"email", "b@example.com"}}, {{"name", "B"}}, {}, untouched);
    CHECK(refused.status().code() == StatusCode::kInvalidArgument);
  }
}

}  // namespace dsr::connectors::testing
