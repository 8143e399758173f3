// Identity values crafted as SQL (always-true conditions, stacked
// statements, comments, LIKE wildcards) against the sample CRM with the
// example config: the connector finds no one, exports nothing, and its
// erasure and rectification change no row. Identities are bound parameters;
// these tests show it holds for every identity kind and every action.
#include <doctest/doctest.h>

#include "connectors/connector.h"
#include "tests/sql/sample_crm_fixture.h"
#include "tests/sql/sql_test_support.h"
#include "tests/support/hostile_identities.h"

namespace dsr::connectors::testing {
namespace {

const char* const kIdentities[] = {"email", "phone", "name", "customer_id"};

bool NothingFound(const LocateReport& report) {
  return report.confirmed.empty() && report.ambiguous.empty();
}

// Rows per table, confirmed or ambiguous.
std::map<std::string, int64_t> RowsFound(const LocateReport& report) {
  std::map<std::string, int64_t> rows = report.confirmed;
  for (const auto& [table, count] : report.ambiguous) rows[table] += count;
  return rows;
}

}  // namespace

TEST_SUITE("SqlConnector: identity injection") {
  TEST_CASE("crafted identity values find no one and change no row") {
    SampleCrmCopy crm;
    const TableDump before = DumpTables(crm.path());
    auto connector = crm.Connect();
    for (const auto& hostile : dsr::testing::HostileIdentityValues()) {
      for (const char* identity : kIdentities) {
        CAPTURE(hostile.what);
        CAPTURE(identity);
        const Subject subject = {{identity, hostile.value}};
        auto report = connector->Locate(subject);
        REQUIRE_MESSAGE(report.ok(), report.status().ToString());
        CHECK(NothingFound(*report));
        CollectingSink exported;
        REQUIRE(connector->Export(subject, exported).ok());
        CHECK(exported.size() == 0);
        CollectingSink untouched;
        auto erased = connector->Erase(subject, {}, untouched);
        REQUIRE_MESSAGE(erased.ok(), erased.status().ToString());
        for (const auto& outcome : *erased) CHECK(outcome.records == 0);
        auto rectified = connector->Rectify(subject, Corrections{{"email", "changed@example.org"}},
                                            {}, untouched);
        REQUIRE_MESSAGE(rectified.ok(), rectified.status().ToString());
        for (const auto& outcome : *rectified) CHECK(outcome.records == 0);
      }
    }
    CHECK(DumpTables(crm.path()) == before);
  }

  TEST_CASE("a crafted value next to a real identity finds only the real subject") {
    SampleCrmCopy crm;
    const auto& sample = SampleCustomerOf("typical");
    auto connector = crm.Connect();
    auto alone = connector->Locate({{"email", sample.email}});
    REQUIRE(alone.ok());
    REQUIRE_FALSE(alone->confirmed.empty());
    for (const auto& hostile : dsr::testing::HostileIdentityValues()) {
      CAPTURE(hostile.what);
      auto report = connector->Locate(
          {{"email", sample.email}, {"name", hostile.value}, {"customer_id", hostile.value}});
      REQUIRE(report.ok());
      // The crafted name contradicts the real one, which may make the rows
      // ambiguous; never does it add a row of anyone else.
      CHECK(RowsFound(*report) == RowsFound(*alone));
    }
  }
}

}  // namespace dsr::connectors::testing
