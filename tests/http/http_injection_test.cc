// Identity values crafted as Zendesk search syntax (field queries,
// wildcards, type switches, OR, quotes), SQL, IMAP and paths, searched for
// on dsr-zendesk-standin by e-mail and phone: the connector finds no one,
// exports nothing, and its erasure and rectification change nothing on the
// server. Next to a real address, only the real subject is found.
#include <doctest/doctest.h>

#include "tests/http/standin_fixture.h"
#include "tests/support/hostile_identities.h"

namespace dsr::connectors::testing {

TEST_SUITE("HttpConnector: identity injection") {
  TEST_CASE("crafted identity values find no one and change nothing on the server") {
    StandinFixture standin;
    nlohmann::json config = standin.Config();
    config["search_by"] = {"email", "phone"};
    auto connector = standin.NewConnector(config);
    const nlohmann::json before = standin.Dump();
    for (const auto& hostile : dsr::testing::HostileIdentityValues()) {
      for (const char* identity : {"email", "phone"}) {
        CAPTURE(hostile.what);
        CAPTURE(identity);
        const Subject subject = {{identity, hostile.value}};
        auto located = connector->Locate(subject);
        REQUIRE_MESSAGE(located.ok(), located.status().ToString());
        CHECK(located->confirmed.empty());
        CHECK(located->ambiguous.empty());
        CollectingSink exported;
        REQUIRE(connector->Export(subject, exported).ok());
        CHECK(exported.records.empty());
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
    CHECK(standin.Dump() == before);
  }

  TEST_CASE("a crafted phone next to a real address finds only the real subject") {
    StandinFixture standin;
    nlohmann::json config = standin.Config();
    config["search_by"] = {"email", "phone"};
    auto connector = standin.NewConnector(config);
    const auto& sample = standin.Sample("typical");
    auto alone = connector->Locate({{"email", sample.email}});
    REQUIRE(alone.ok());
    REQUIRE_FALSE(alone->confirmed.empty());
    for (const auto& hostile : dsr::testing::HostileIdentityValues()) {
      CAPTURE(hostile.what);
      auto located = connector->Locate({{"email", sample.email}, {"phone", hostile.value}});
      REQUIRE(located.ok());
      // The phone differs from the user's, which makes the match ambiguous,
      // never a match of anyone else.
      std::map<std::string, int64_t> found = located->confirmed;
      for (const auto& [collection, count] : located->ambiguous) found[collection] += count;
      std::map<std::string, int64_t> expected = alone->confirmed;
      for (const auto& [collection, count] : alone->ambiguous) expected[collection] += count;
      CHECK(found == expected);
    }
  }
}

}  // namespace dsr::connectors::testing
