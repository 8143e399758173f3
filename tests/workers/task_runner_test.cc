#include "workers/task_runner.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <vector>

#include "tests/workers/memory_connector.h"

namespace dsr::workers {
namespace {

using testing::MemoryConnector;
using testing::SampleRecords;
using testing::SampleTask;

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

}  // namespace dsr::workers
