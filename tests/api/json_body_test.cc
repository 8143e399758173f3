#include <doctest/doctest.h>

#include <string>

#include "coordinator/api/handlers.h"

namespace dsr::api {
namespace {

std::string Nested(char open, char close, int depth) {
  return std::string(depth, open) + std::string(depth, close);
}

// {"a":{"a":...{}...}} with `depth` objects.
std::string NestedObjects(int depth) {
  std::string text;
  for (int i = 1; i < depth; ++i) text += "{\"a\":";
  text += "{}";
  text += std::string(depth - 1, '}');
  return text;
}

}  // namespace

TEST_SUITE("ParseJsonBody") {
  TEST_CASE("parses a JSON body") {
    auto parsed = ParseJsonBody(R"({"type":"access","subject":{"email":"a@example.org"}})");
    REQUIRE(parsed.ok());
    CHECK(parsed->at("subject").at("email") == "a@example.org");
  }

  TEST_CASE("refuses an empty body") {
    auto parsed = ParseJsonBody("");
    CHECK(parsed.status().code() == StatusCode::kInvalidArgument);
    CHECK(parsed.status().message().find("empty") != std::string::npos);
  }

  TEST_CASE("refuses a body that is not JSON") {
    for (const char* body : {"{", "{\"type\":}", "type=access", "{\"a\":1} trailing", "[1,]"}) {
      CAPTURE(body);
      auto parsed = ParseJsonBody(body);
      CHECK(parsed.status().code() == StatusCode::kInvalidArgument);
      CHECK(parsed.status().message().find("not valid JSON") != std::string::npos);
    }
  }

  TEST_CASE("allows nesting up to 64 levels and refuses deeper") {
    CHECK(ParseJsonBody(Nested('[', ']', 64)).ok());
    CHECK(ParseJsonBody(NestedObjects(64)).ok());
    for (const std::string& deep : {Nested('[', ']', 65), NestedObjects(65),
                                    Nested('[', ']', 100000), std::string(100000, '[')}) {
      auto parsed = ParseJsonBody(deep);
      CHECK(parsed.status().code() == StatusCode::kInvalidArgument);
      CHECK(parsed.status().message().find("64") != std::string::npos);
    }
  }

  TEST_CASE("brackets inside strings do not count as nesting") {
    auto parsed = ParseJsonBody("{\"note\":\"" + std::string(100, '[') + "\"}");
    REQUIRE(parsed.ok());
    CHECK(parsed->at("note") == std::string(100, '['));
    // An escaped quote does not end the string early.
    auto escaped = ParseJsonBody("[\"\\\"" + std::string(100, '{') + "\"]");
    REQUIRE(escaped.ok());
    CHECK(escaped->at(0) == "\"" + std::string(100, '{'));
    // A string ending in an escaped backslash does end there: the brackets after it count.
    const std::string after_backslash =
        "[\"\\\\\"," + std::string(64, '[') + std::string(64, ']') + "]";
    CHECK(ParseJsonBody(after_backslash).status().message().find("64") != std::string::npos);
  }
}

}  // namespace dsr::api
