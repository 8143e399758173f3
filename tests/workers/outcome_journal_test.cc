#include "workers/outcome_journal.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "tests/support/temp_dir.h"

namespace dsr::workers {
namespace {

constexpr const char* kTask = "0f8fad5b-d9cb-469f-a165-70867728950e";
constexpr const char* kOtherTask = "9b2c1d4e-0000-4a43-9d1a-0c6f1f4f0a11";
const auto kDay = std::chrono::hours(24);

OutcomeJournal::Entry Retained(int attempt) {
  return {"erase", attempt, nlohmann::json::parse(R"([{"collection":"invoices",
      "kind":"retained","records":1,"retained_until":"2033-12-31","legal_basis":"HGB §257",
      "keys":["17"]}])")};
}

}  // namespace

TEST_SUITE("OutcomeJournal") {
  TEST_CASE("keeps an entry per task, replaced by a later attempt") {
    dsr::testing::TempDir dir;
    ManualClock clock(Clock::WallTime{} + kDay * 20000);
    auto opened = OutcomeJournal::Open(dir.File("a/journal"), kDay * 30, clock);
    REQUIRE(opened.ok());
    OutcomeJournal& journal = **opened;
    CHECK((std::filesystem::status(dir.File("a/journal")).permissions() &
           std::filesystem::perms::all) == std::filesystem::perms::owner_all);

    auto none = journal.Find(kTask);
    REQUIRE(none.ok());
    CHECK_FALSE(none->has_value());

    REQUIRE(journal.Record(kTask, Retained(1)).ok());
    REQUIRE(journal.Record(kTask, Retained(2)).ok());
    auto found = journal.Find(kTask);
    REQUIRE(found.ok());
    REQUIRE(found->has_value());
    CHECK((*found)->action == "erase");
    CHECK((*found)->attempt == 2);
    CHECK((*found)->outcomes == Retained(2).outcomes);
    CHECK_FALSE(journal.Find(kOtherTask)->has_value());
  }

  TEST_CASE("a task id that is not a UUID never becomes a file name") {
    dsr::testing::TempDir dir;
    ManualClock clock(Clock::WallTime{});
    auto journal = OutcomeJournal::Open(dir.path(), kDay, clock);
    REQUIRE(journal.ok());
    CHECK((*journal)->Record("../escape", Retained(1)).code() == StatusCode::kInvalidArgument);
    CHECK_FALSE((*journal)->Find("../escape").ok());
    CHECK_FALSE(std::filesystem::exists(dir.File("../escape.json")));
  }

  TEST_CASE("entries older than the kept days are removed, nothing else") {
    dsr::testing::TempDir dir;
    ManualClock clock(Clock::WallTime{} + kDay * 20000);
    auto opened = OutcomeJournal::Open(dir.path(), kDay * 30, clock);
    REQUIRE(opened.ok());
    OutcomeJournal& journal = **opened;
    REQUIRE(journal.Record(kTask, Retained(1)).ok());
    clock.Advance(kDay * 20);
    REQUIRE(journal.Record(kOtherTask, Retained(1)).ok());
    // Not an entry: left alone.
    std::ofstream(dir.File("notes.txt")) << "kept";

    CHECK(journal.Prune() == 0);
    clock.Advance(kDay * 11);  // the first entry is 31 days old, the second 11
    CHECK(journal.Prune() == 1);
    CHECK_FALSE(journal.Find(kTask)->has_value());
    CHECK(journal.Find(kOtherTask)->has_value());
    CHECK(std::filesystem::exists(dir.File("notes.txt")));

    clock.Advance(kDay * 20);
    CHECK(journal.Prune() == 1);
    CHECK_FALSE(journal.Find(kOtherTask)->has_value());
  }

  TEST_CASE("PruneIfDue prunes at most once an hour") {
    dsr::testing::TempDir dir;
    ManualClock clock(Clock::WallTime{} + kDay * 20000);
    auto opened = OutcomeJournal::Open(dir.path(), std::chrono::hours(1), clock);
    REQUIRE(opened.ok());
    OutcomeJournal& journal = **opened;
    REQUIRE(journal.Record(kTask, Retained(1)).ok());
    clock.Advance(std::chrono::minutes(30));
    journal.PruneIfDue();  // the first time: prunes; the entry is 30 minutes old
    CHECK(journal.Find(kTask)->has_value());
    clock.Advance(std::chrono::minutes(45));
    journal.PruneIfDue();  // 75 minutes old, but the last pruning was 45 minutes ago
    CHECK(journal.Find(kTask)->has_value());
    clock.Advance(std::chrono::minutes(20));
    journal.PruneIfDue();
    CHECK_FALSE(journal.Find(kTask)->has_value());
  }

  TEST_CASE("an unreadable entry is an error for its task and is not pruned") {
    dsr::testing::TempDir dir;
    ManualClock clock(Clock::WallTime{} + kDay * 20000);
    auto journal = OutcomeJournal::Open(dir.path(), kDay, clock);
    REQUIRE(journal.ok());
    std::ofstream(dir.File(std::string(kTask) + ".json")) << "{\"action\":";
    CHECK((*journal)->Find(kTask).status().code() == StatusCode::kInternal);
    clock.Advance(kDay * 400);
    CHECK((*journal)->Prune() == 0);
    CHECK(std::filesystem::exists(dir.File(std::string(kTask) + ".json")));
  }
}

}  // namespace dsr::workers
