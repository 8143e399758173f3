#include "workers/chunking_sink.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <vector>

#include "common/base64.h"

namespace dsr::workers {
namespace {

constexpr const char* kTask = "0f8fad5b-d9cb-469f-a165-70867728950e";

struct Collected {
  std::vector<wire::Message> messages;
  EmitMessage emit = [this](const wire::Message& message) {
    messages.push_back(message);
    return Status::Ok();
  };

  // Checks what every CHUNK must satisfy, whatever the test.
  void CheckChunks() const {
    for (size_t i = 0; i < messages.size(); ++i) {
      const auto& chunk = messages[i];
      CAPTURE(i);
      CHECK(chunk.command == wire::Command::kChunk);
      CHECK(wire::Encode(chunk).ok());
      CHECK(chunk.header.at("task_id") == kTask);
      CHECK(chunk.header.at("seq") == i);
      REQUIRE(chunk.payload.size() == 1);
      const std::string& payload = chunk.payload[0];
      CHECK(payload.back() == '\n');
      CHECK(chunk.header.at("records") == std::count(payload.begin(), payload.end(), '\n'));
    }
  }

  std::string Payloads() const {
    std::string all;
    for (const auto& chunk : messages) all += chunk.payload.at(0);
    return all;
  }
};

nlohmann::json Record(int id, size_t padding = 10) {
  return {{"id", id}, {"pad", std::string(padding, 'x')}};
}

// A confirmed record as the sink reports it.
connectors::FoundRecord Found(const std::string& collection, const nlohmann::json& record) {
  connectors::FoundRecord found;
  found.collection = collection;
  found.record = record;
  return found;
}

// The envelope line the sink writes for a confirmed record without key.
std::string Line(const nlohmann::json& record) {
  return nlohmann::json{{"key", nullptr}, {"match", "confirmed"}, {"record", record}}.dump() + "\n";
}

}  // namespace

TEST_SUITE("ChunkingSink") {
  TEST_CASE("chunks stay within the byte budget and are numbered consecutively") {
    Collected out;
    ChunkingSink sink(kTask, 2, 100, out.emit);
    std::string expected;
    for (int i = 0; i < 40; ++i) {
      REQUIRE(sink.Add(Found("orders", Record(i))).ok());
      expected += Line(Record(i));
    }
    REQUIRE(sink.Flush().ok());
    REQUIRE(out.messages.size() > 5);
    out.CheckChunks();
    for (const auto& chunk : out.messages) {
      CHECK(chunk.payload.at(0).size() <= 100);
      CHECK(chunk.header.at("attempt") == 2);
      CHECK(chunk.header.at("collection") == "orders");
    }
    CHECK(out.Payloads() == expected);
    CHECK(sink.chunks_sent() == static_cast<int64_t>(out.messages.size()));
    CHECK(sink.records_per_collection() == std::map<std::string, int64_t>{{"orders", 40}});
  }

  TEST_CASE("a single record larger than the budget travels in a chunk of its own") {
    Collected out;
    ChunkingSink sink(kTask, 1, 100, out.emit);
    REQUIRE(sink.Add(Found("notes", Record(1))).ok());
    REQUIRE(sink.Add(Found("notes", Record(2, 500))).ok());
    REQUIRE(sink.Add(Found("notes", Record(3))).ok());
    REQUIRE(sink.Flush().ok());
    REQUIRE(out.messages.size() == 3);
    out.CheckChunks();
    CHECK(out.messages[1].payload.at(0) == Line(Record(2, 500)));
    CHECK(out.messages[1].header.at("records") == 1);
  }

  TEST_CASE("a change of collection flushes; counts are kept per collection") {
    Collected out;
    ChunkingSink sink(kTask, 1, 1 << 20, out.emit);
    REQUIRE(sink.Add(Found("orders", Record(1))).ok());
    REQUIRE(sink.Add(Found("orders", Record(2))).ok());
    REQUIRE(out.messages.empty());  // still under the budget: nothing sent yet
    REQUIRE(sink.Add(Found("contacts", Record(3))).ok());
    REQUIRE(out.messages.size() == 1);
    REQUIRE(sink.Add(Found("orders", Record(4))).ok());
    REQUIRE(sink.Flush().ok());
    REQUIRE(out.messages.size() == 3);
    out.CheckChunks();
    CHECK(out.messages[0].header.at("collection") == "orders");
    CHECK(out.messages[0].header.at("records") == 2);
    CHECK(out.messages[1].header.at("collection") == "contacts");
    CHECK(out.messages[2].header.at("collection") == "orders");
    CHECK(sink.records_per_collection() ==
          std::map<std::string, int64_t>{{"contacts", 1}, {"orders", 3}});
    CHECK(sink.chunks_sent() == 3);
  }

  TEST_CASE("Flush with nothing buffered sends nothing") {
    Collected out;
    ChunkingSink sink(kTask, 1, 100, out.emit);
    REQUIRE(sink.Flush().ok());
    CHECK(out.messages.empty());
    CHECK(sink.chunks_sent() == 0);
    CHECK(sink.records_per_collection().empty());
  }

  TEST_CASE("a record over the wire's payload limit is an error") {
    Collected out;
    ChunkingSink sink(kTask, 1, 100, out.emit);
    REQUIRE(sink.Add(Found("files", Record(1))).ok());
    const Status status = sink.Add(Found("files", Record(2, wire::kMaxPayloadBytes)));
    CHECK(status.code() == StatusCode::kInternal);
    CHECK(status.message().find("xxxx") == std::string::npos);  // no record content
    CHECK(out.messages.empty());
    CHECK(sink.records_per_collection().at("files") == 1);
  }

  TEST_CASE("a record that is not a JSON object is an error") {
    Collected out;
    ChunkingSink sink(kTask, 1, 100, out.emit);
    CHECK(sink.Add(Found("orders", nlohmann::json::array({1, 2}))).code() == StatusCode::kInternal);
    CHECK(sink.Add(Found("orders", "text")).code() == StatusCode::kInternal);
    REQUIRE(sink.Flush().ok());
    CHECK(out.messages.empty());
  }

  TEST_CASE("a failure to emit stops the export with that failure") {
    ChunkingSink sink(kTask, 1, 50, [](const wire::Message&) { return Unavailable("stopping"); });
    REQUIRE(sink.Add(Found("orders", Record(1))).ok());
    CHECK(sink.Add(Found("orders", Record(2, 40))).code() == StatusCode::kUnavailable);
    CHECK(sink.chunks_sent() == 0);  // the RESULT counts only chunks handed on
  }

  TEST_CASE("an original travels as piece lines after its envelope, each chunk within budget") {
    Collected out;
    ChunkingSink sink(kTask, 1, 1000, out.emit);
    std::string original;
    for (int i = 0; i < 10000; ++i) original.push_back(static_cast<char>((i * 7919) % 251));
    connectors::FoundRecord mail = Found("INBOX", {{"subject", "Hallo"}});
    mail.key = "42";
    mail.original = connectors::FoundRecord::Original{"42.eml", original};
    REQUIRE(sink.Add(mail).ok());
    REQUIRE(sink.Add(Found("INBOX", Record(2))).ok());
    REQUIRE(sink.Flush().ok());
    REQUIRE(out.messages.size() > 10);

    std::vector<std::string> lines;
    int64_t records = 0;
    for (const auto& chunk : out.messages) {
      CHECK(wire::Encode(chunk).ok());
      CHECK(chunk.payload.at(0).size() <= 1000);
      records += chunk.header.at("records").get<int64_t>();
      std::string_view payload = chunk.payload.at(0);
      for (size_t start = 0; start < payload.size();) {
        const size_t end = payload.find('\n', start);
        lines.emplace_back(payload.substr(start, end - start));
        start = end + 1;
      }
    }
    CHECK(records == 2);
    CHECK(sink.records_per_collection() == std::map<std::string, int64_t>{{"INBOX", 2}});
    const auto envelope = nlohmann::json::parse(lines.front());
    CHECK(envelope.at("original") == nlohmann::json{{"name", "42.eml"}, {"bytes", 10000}});
    CHECK(nlohmann::json::parse(lines.back()).at("record") == Record(2));
    std::string rebuilt;
    for (size_t i = 1; i + 1 < lines.size(); ++i) {
      const auto piece = nlohmann::json::parse(lines[i]);
      REQUIRE(piece.size() == 1);
      rebuilt += DecodeBase64(piece.at("piece").get<std::string>());
    }
    CHECK(rebuilt == original);
  }

  TEST_CASE("a 20 MB original fits the wire in chunks of the default budget") {
    Collected out;
    ChunkingSink sink(kTask, 1, 256 * 1024, out.emit);
    connectors::FoundRecord mail = Found("INBOX", {{"subject", "Anhang"}});
    mail.original = connectors::FoundRecord::Original{"big.eml", std::string(20 << 20, 'a')};
    REQUIRE(sink.Add(mail).ok());
    REQUIRE(sink.Flush().ok());
    CHECK(out.messages.size() >= 80);
    for (const auto& chunk : out.messages) {
      CHECK(chunk.payload.at(0).size() <= 256 * 1024);
      CHECK(wire::Encode(chunk).ok());
    }
    CHECK(out.messages.front().header.at("records") == 1);
    CHECK(out.messages.back().header.at("records") == 0);
  }

  TEST_CASE("invalid UTF-8 from a source is replaced, not fatal") {
    Collected out;
    ChunkingSink sink(kTask, 1, 100, out.emit);
    REQUIRE(sink.Add(Found("orders", {{"name", std::string("M\xfcller")}})).ok());
    REQUIRE(sink.Flush().ok());
    REQUIRE(out.messages.size() == 1);
    out.CheckChunks();
    CHECK(out.messages[0].payload.at(0) ==
          "{\"key\":null,\"match\":\"confirmed\",\"record\":{\"name\":\"M\xef\xbf\xbdller\"}}\n");
  }
}

}  // namespace dsr::workers
