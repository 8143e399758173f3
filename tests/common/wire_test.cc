#include "common/wire.h"

#include <doctest/doctest.h>

namespace dsr::wire {
namespace {

Message ValidResult() {
  Message message;
  message.command = Command::kResult;
  message.header = {{"task_id", "0f8fad5b-d9cb-469f-a165-70867728950e"},
                    {"attempt", 1},
                    {"status", "succeeded"},
                    {"chunks", 0},
                    {"collections", nlohmann::json::array()}};
  return message;
}

}  // namespace

TEST_SUITE("Wire") {
  TEST_CASE("round-trips a message through Encode and Decode") {
    auto frames = Encode(ValidResult());
    REQUIRE(frames.ok());
    CHECK(frames->at(0) == "DSRW/1");
    CHECK(frames->at(1) == "RESULT");
    auto decoded = Decode(*frames, Sender::kWorker);
    REQUIRE(decoded.ok());
    CHECK(decoded->command == Command::kResult);
    CHECK(decoded->header == ValidResult().header);
  }

  TEST_CASE("refuses to encode a message that breaks its schema") {
    Message message = ValidResult();
    message.header.erase("attempt");
    CHECK(Encode(message).status().code() == StatusCode::kInternal);
  }

  TEST_CASE("rejects malformed frames with a reason") {
    auto frames = *Encode(ValidResult());
    SUBCASE("wrong signature") {
      frames[0] = "MDPW01";
      CHECK(Decode(frames, Sender::kWorker).status().message() == "wrong protocol signature");
    }
    SUBCASE("unknown command") {
      frames[1] = "EXPLODE";
      CHECK(Decode(frames, Sender::kWorker).status().message() == "unknown command");
    }
    SUBCASE("bad JSON") {
      frames[2] = "{\"task_id\": ";
      CHECK(Decode(frames, Sender::kWorker).status().message() == "header is not valid JSON");
    }
    SUBCASE("header nested deeper than 64 levels") {
      // Valid JSON whose depth alone would drive recursion in validation and dumping.
      frames[2] = R"({"task_id":)" + std::string(100000, '[') + std::string(100000, ']') + "}";
      const Status status = Decode(frames, Sender::kWorker).status();
      CHECK(status.code() == StatusCode::kInvalidArgument);
      CHECK(status.message() == "header: JSON nesting deeper than 64 levels");
    }
    SUBCASE("missing field") {
      frames[2] = R"({"task_id":"0f8fad5b-d9cb-469f-a165-70867728950e","attempt":1})";
      CHECK(Decode(frames, Sender::kWorker).status().code() == StatusCode::kValidation);
    }
    SUBCASE("too few frames") {
      frames.resize(2);
      CHECK_FALSE(Decode(frames, Sender::kWorker).ok());
    }
    SUBCASE("unexpected payload frame") {
      frames.push_back("payload");
      CHECK_FALSE(Decode(frames, Sender::kWorker).ok());
    }
    SUBCASE("command from the wrong side") {
      CHECK_FALSE(Decode(frames, Sender::kCoordinator).ok());
    }
  }

  TEST_CASE("an error code is a code name, never free text that could reach the audit log") {
    Message failed = ValidResult();
    failed.header["status"] = "failed";
    failed.header["error"] = {{"code", "unavailable"}, {"message", "the CRM does not answer"}};
    auto frames = Encode(failed);
    REQUIRE(frames.ok());
    CHECK(Decode(*frames, Sender::kWorker).ok());
    auto header = nlohmann::json::parse((*frames)[2]);
    header["error"]["code"] = "no row for jane@example.org";
    (*frames)[2] = header.dump();
    CHECK(Decode(*frames, Sender::kWorker).status().code() == StatusCode::kValidation);
  }

  TEST_CASE("a CHUNK needs exactly one payload frame") {
    Message chunk;
    chunk.command = Command::kChunk;
    chunk.header = {{"task_id", "0f8fad5b-d9cb-469f-a165-70867728950e"},
                    {"attempt", 2},
                    {"seq", 0},
                    {"collection", "orders"},
                    {"records", 1}};
    CHECK_FALSE(Encode(chunk).ok());
    chunk.payload.push_back("{\"id\":1}\n");
    auto frames = Encode(chunk);
    REQUIRE(frames.ok());
    CHECK(Decode(*frames, Sender::kWorker).ok());
  }

  TEST_CASE("CREDIT goes from the coordinator to the worker only") {
    auto frames = Encode(Credit("0f8fad5b-d9cb-469f-a165-70867728950e", 3, 1));
    REQUIRE(frames.ok());
    CHECK(frames->at(1) == "CREDIT");
    auto decoded = Decode(*frames, Sender::kCoordinator);
    REQUIRE(decoded.ok());
    CHECK(decoded->command == Command::kCredit);
    CHECK(decoded->header.at("attempt") == 3);
    CHECK(decoded->header.at("credit") == 1);
    CHECK_FALSE(Decode(*frames, Sender::kWorker).ok());
    auto header = nlohmann::json::parse((*frames)[2]);
    header["credit"] = 0;
    (*frames)[2] = header.dump();
    CHECK(Decode(*frames, Sender::kCoordinator).status().code() == StatusCode::kValidation);
  }

  TEST_CASE("a TASK carries its initial credit") {
    Message task;
    task.command = Command::kTask;
    task.header = {{"task_id", "0f8fad5b-d9cb-469f-a165-70867728950e"},
                   {"attempt", 1},
                   {"request_id", "7d7c2c6e-8b53-4a43-9d1a-0c6f1f4f0a11"},
                   {"action", "export"},
                   {"subject", {{"email", "a@example.org"}}}};
    CHECK(Encode(task).status().code() == StatusCode::kInternal);
    task.header["credit"] = 8;
    auto frames = Encode(task);
    REQUIRE(frames.ok());
    CHECK(Decode(*frames, Sender::kCoordinator).ok());
  }

  TEST_CASE("a CHUNK of nothing but original pieces announces 0 records") {
    Message chunk;
    chunk.command = Command::kChunk;
    chunk.header = {{"task_id", "0f8fad5b-d9cb-469f-a165-70867728950e"},
                    {"attempt", 1},
                    {"seq", 4},
                    {"collection", "INBOX"},
                    {"records", 0}};
    chunk.payload.push_back("{\"piece\":\"SGFsbG8=\"}\n");
    auto frames = Encode(chunk);
    REQUIRE(frames.ok());
    CHECK(Decode(*frames, Sender::kWorker).ok());
  }
}
}  // namespace dsr::wire
