#include "workers/task_runner.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <vector>

#include "common/clock.h"
#include "tests/support/temp_dir.h"
#include "tests/workers/memory_connector.h"
#include "workers/outcome_journal.h"

namespace dsr::workers {
namespace {

using testing::MemoryConnector;
using testing::SampleEraseTask;
using testing::SampleRecords;
using testing::SampleTask;

std::vector<wire::Message> RunJournaled(MemoryConnector& connector, const nlohmann::json& task,
                                        OutcomeJournal* journal) {
  std::vector<wire::Message> messages;
  RunTask(
      connector, task,
      [&](const wire::Message& message) {
        messages.push_back(message);
        return Status::Ok();
      },
      kDefaultChunkBytes, journal);
  for (const auto& message : messages) CHECK(wire::Encode(message).ok());
  return messages;
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void WriteText(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// The outcome of `collection` in a RESULT (REQUIRE-fails when there is not exactly one).
nlohmann::json OutcomeOf(const nlohmann::json& result, const std::string& collection) {
  std::vector<nlohmann::json> found;
  for (const auto& outcome : result.at("outcomes")) {
    if (outcome.at("collection") == collection) found.push_back(outcome);
  }
  REQUIRE(found.size() == 1);
  return found[0];
}

// Runs the sample task and returns every message it emitted, each checked
// against its wire schema.
std::vector<wire::Message> Run(MemoryConnector& connector, size_t chunk_bytes = 80) {
  std::vector<wire::Message> messages;
  RunTask(
      connector, SampleTask(),
      [&](const wire::Message& message) {
        messages.push_back(message);
        return Status::Ok();
      },
      chunk_bytes);
  for (const auto& message : messages) {
    CAPTURE(wire::CommandName(message.command));
    CHECK(wire::Encode(message).ok());
  }
  return messages;
}

const nlohmann::json& ResultOf(const std::vector<wire::Message>& messages) {
  REQUIRE_FALSE(messages.empty());
  REQUIRE(messages.back().command == wire::Command::kResult);
  return messages.back().header;
}

}  // namespace

TEST_SUITE("RunTask") {
  TEST_CASE("reports PROGRESS, then CHUNKs, then a succeeded RESULT with the counts") {
    MemoryConnector connector(SampleRecords());
    const auto messages = Run(connector);
    REQUIRE(messages.size() >= 4);
    CHECK(messages.front().command == wire::Command::kProgress);
    CHECK(messages.front().header.at("state") == "running");
    CHECK(messages.front().header.at("attempt") == 1);
    int64_t chunks = 0;
    std::map<std::string, int64_t> records;
    for (size_t i = 1; i + 1 < messages.size(); ++i) {
      REQUIRE(messages[i].command == wire::Command::kChunk);
      CHECK(messages[i].header.at("seq") == chunks);
      records[messages[i].header.at("collection").get<std::string>()] +=
          messages[i].header.at("records").get<int>();
      ++chunks;
    }
    CHECK(chunks > 2);  // the small budget forced several chunks
    CHECK(records == std::map<std::string, int64_t>{{"contacts", 2}, {"orders", 3}});

    const auto& result = ResultOf(messages);
    CHECK(result.at("status") == "succeeded");
    CHECK(result.at("task_id") == SampleTask().at("task_id"));
    CHECK(result.at("attempt") == 1);
    CHECK(result.at("chunks") == chunks);
    CHECK(result.at("collections") ==
          nlohmann::json::parse(
              R"([{"name":"contacts","records":2},{"name":"orders","records":3}])"));
    CHECK_FALSE(result.contains("error"));

    REQUIRE(connector.subjects().size() == 1);
    CHECK(connector.subjects()[0] ==
          connectors::Subject{{"email", "jürgen.müller@example.org"}, {"name", "Jürgen Müller"}});
  }

  TEST_CASE("nothing found is a succeeded RESULT without chunks") {
    MemoryConnector connector;
    const auto messages = Run(connector);
    REQUIRE(messages.size() == 2);
    const auto& result = ResultOf(messages);
    CHECK(result.at("status") == "succeeded");
    CHECK(result.at("chunks") == 0);
    CHECK(result.at("collections").empty());
  }

  TEST_CASE("an unreachable source gives a failed RESULT with code unavailable") {
    MemoryConnector connector(SampleRecords());
    connector.FailWith(Unavailable("cannot reach the CRM database"), 2);
    const auto messages = Run(connector);
    const auto& result = ResultOf(messages);
    CHECK(result.at("status") == "failed");
    CHECK(result.at("error").at("code") == "unavailable");
    CHECK(result.at("error").at("message") == "cannot reach the CRM database");
  }

  TEST_CASE(
      "a connector that throws gives a failed RESULT with code internal, without the "
      "exception's text") {
    MemoryConnector connector(SampleRecords());
    connector.ThrowWith("row for jürgen.müller@example.org is broken", 1);
    const auto messages = Run(connector);
    const auto& result = ResultOf(messages);
    CHECK(result.at("status") == "failed");
    CHECK(result.at("error").at("code") == "internal");
    const std::string message = result.at("error").at("message").get<std::string>();
    CHECK_FALSE(message.empty());
    CHECK(message.find("jürgen") == std::string::npos);
    CHECK(message.find("broken") == std::string::npos);
  }

  TEST_CASE("a very long error message is shortened to fit the RESULT schema") {
    MemoryConnector connector;
    connector.FailWith(Unavailable(std::string(10000, 'e')));
    const auto messages = Run(connector);
    const auto& result = ResultOf(messages);
    CHECK(result.at("error").at("message").get<std::string>().size() <= 4096);
  }

  TEST_CASE("when PROGRESS cannot be sent, the connector is not run") {
    MemoryConnector connector(SampleRecords());
    int emitted = 0;
    RunTask(connector, SampleTask(), [&](const wire::Message&) {
      ++emitted;
      return Unavailable("the worker is stopping");
    });
    CHECK(emitted == 1);
    CHECK(connector.subjects().empty());
  }
}

TEST_SUITE("RunTask with an outcome journal") {
  const auto kKeep = std::chrono::hours(24 * 30);

  TEST_CASE("a retry whose connector finds nothing any more reports what the first run did") {
    dsr::testing::TempDir dir;
    ManualClock clock(Clock::WallTime{} + std::chrono::hours(24 * 20000));
    auto journal = OutcomeJournal::Open(dir.File("journal"), kKeep, clock);
    REQUIRE(journal.ok());
    MemoryConnector connector(SampleRecords());

    const auto first = RunJournaled(connector, SampleEraseTask(1), journal->get());
    REQUIRE(ResultOf(first).at("status") == "succeeded");
    // The first RESULT is lost; the coordinator hands out attempt 2.
    const auto second = RunJournaled(connector, SampleEraseTask(2), journal->get());
    const auto& result = ResultOf(second);
    CHECK(result.at("status") == "succeeded");
    CHECK(result.at("attempt") == 2);
    const auto invoices = OutcomeOf(result, "invoices");
    CHECK(invoices.at("kind") == "retained");
    CHECK(invoices.at("records") == 2);
    CHECK(invoices.at("retained_until") == "2033-12-31");
    CHECK(invoices.at("legal_basis") == "HGB §257");
    CHECK(invoices.at("keys") == nlohmann::json::array({"17", "18"}));
    CHECK(OutcomeOf(result, "orders").at("kind") == "erased");
    CHECK(OutcomeOf(result, "orders").at("records") == 3);
    CHECK(OutcomeOf(result, "contacts").at("kind") == "erased");

    // The entry now names attempt 2 and holds no identity of the subject.
    const std::string entry = ReadText(
        dir.File("journal/" + SampleEraseTask().at("task_id").get<std::string>() + ".json"));
    CHECK(nlohmann::json::parse(entry).at("attempt") == 2);
    CHECK(entry.find("example.org") == std::string::npos);
    CHECK(entry.find("jürgen") == std::string::npos);

    // Without the journal the same retry would have reported nothing found.
    const auto unjournaled = RunJournaled(connector, SampleEraseTask(3), nullptr);
    CHECK(OutcomeOf(ResultOf(unjournaled), "invoices").at("kind") == "not_found");
  }

  TEST_CASE("outcomes are journaled before the source commits: a crash right after is covered") {
    dsr::testing::TempDir dir;
    ManualClock clock(Clock::WallTime{} + std::chrono::hours(24 * 20000));
    auto journal = OutcomeJournal::Open(dir.File("journal"), kKeep, clock);
    REQUIRE(journal.ok());
    MemoryConnector connector(SampleRecords());
    connector.CrashAfterCommit();

    // The erasure takes effect, but its attempt ends without a RESULT that
    // says so (the worker died after the commit).
    const auto first = RunJournaled(connector, SampleEraseTask(1), journal->get());
    REQUIRE(ResultOf(first).at("status") == "failed");
    const auto second = RunJournaled(connector, SampleEraseTask(2), journal->get());
    const auto& result = ResultOf(second);
    CHECK(result.at("status") == "succeeded");
    CHECK(OutcomeOf(result, "invoices").at("kind") == "retained");
    CHECK(OutcomeOf(result, "invoices").at("keys") == nlohmann::json::array({"17", "18"}));
    CHECK(OutcomeOf(result, "orders").at("kind") == "erased");
  }

  TEST_CASE("an erasure whose outcomes cannot be journaled fails as unavailable") {
    dsr::testing::TempDir dir;
    ManualClock clock(Clock::WallTime{} + std::chrono::hours(24 * 20000));
    auto journal = OutcomeJournal::Open(dir.File("journal"), kKeep, clock);
    REQUIRE(journal.ok());
    // The temporary file cannot be created where a folder of its name stands
    // (permissions would not stop a test run as root).
    const std::string entry =
        dir.File("journal/" + SampleEraseTask().at("task_id").get<std::string>() + ".json");
    std::filesystem::create_directory(entry + ".partial");
    MemoryConnector connector(SampleRecords());

    const auto messages = RunJournaled(connector, SampleEraseTask(1), journal->get());
    const auto& result = ResultOf(messages);
    CHECK(result.at("status") == "failed");
    CHECK(result.at("error").at("code") == "unavailable");
    CHECK(result.at("error").at("message").get<std::string>().find("journal") != std::string::npos);
    CHECK_FALSE(result.contains("outcomes"));
    CHECK_FALSE(std::filesystem::exists(entry));
  }

  TEST_CASE("an unreadable journal entry fails the task before the connector runs") {
    dsr::testing::TempDir dir;
    ManualClock clock(Clock::WallTime{} + std::chrono::hours(24 * 20000));
    auto journal = OutcomeJournal::Open(dir.File("journal"), kKeep, clock);
    REQUIRE(journal.ok());
    WriteText(dir.File("journal/" + SampleEraseTask().at("task_id").get<std::string>() + ".json"),
              "{ cut off");
    MemoryConnector connector(SampleRecords());

    const auto messages = RunJournaled(connector, SampleEraseTask(2), journal->get());
    const auto& result = ResultOf(messages);
    CHECK(result.at("status") == "failed");
    CHECK(result.at("error").at("code") == "internal");
    // The connector did not run: its records are all still there to erase.
    const auto unjournaled = RunJournaled(connector, SampleEraseTask(3), nullptr);
    CHECK(OutcomeOf(ResultOf(unjournaled), "orders").at("kind") == "erased");
  }

  TEST_CASE("an export is not journaled") {
    dsr::testing::TempDir dir;
    ManualClock clock(Clock::WallTime{} + std::chrono::hours(24 * 20000));
    auto journal = OutcomeJournal::Open(dir.File("journal"), kKeep, clock);
    REQUIRE(journal.ok());
    MemoryConnector connector(SampleRecords());
    const auto messages = RunJournaled(connector, SampleTask(), journal->get());
    CHECK(ResultOf(messages).at("status") == "succeeded");
    CHECK(std::filesystem::is_empty(dir.File("journal")));
  }
}

TEST_SUITE("MergeOutcomes") {
  TEST_CASE("what the earlier run changed wins over not found; what the retry changed stays") {
    const auto earlier = nlohmann::json::parse(R"([
      {"collection":"customers","kind":"anonymized","records":1},
      {"collection":"invoices","kind":"retained","records":2,"retained_until":"2033-12-31",
       "legal_basis":"HGB §257","keys":["17","18"]},
      {"collection":"notes","kind":"erased","records":4},
      {"collection":"tickets","kind":"not_found","records":0}])");
    const auto now = nlohmann::json::parse(R"([
      {"collection":"customers","kind":"not_found","records":0},
      {"collection":"invoices","kind":"not_found","records":0},
      {"collection":"notes","kind":"erased","records":1},
      {"collection":"tickets","kind":"erased","records":3},
      {"collection":"chats","kind":"not_applicable","records":0,"note":"kept as written"}])");
    const auto merged = MergeOutcomes(earlier, now);
    std::map<std::string, std::string> kinds;
    std::map<std::string, int64_t> records;
    for (const auto& outcome : merged) {
      const std::string collection = outcome.at("collection").get<std::string>();
      CHECK(kinds.count(collection) == 0);
      kinds[collection] = outcome.at("kind").get<std::string>();
      records[collection] = outcome.at("records").get<int64_t>();
    }
    CHECK(kinds == std::map<std::string, std::string>{{"customers", "anonymized"},
                                                      {"invoices", "retained"},
                                                      {"notes", "erased"},
                                                      {"tickets", "erased"},
                                                      {"chats", "not_applicable"}});
    CHECK(records.at("notes") == 1);    // the retry changed notes itself
    CHECK(records.at("tickets") == 3);  // found anew
    CHECK(records.at("invoices") == 2);
  }
}

}  // namespace dsr::workers
