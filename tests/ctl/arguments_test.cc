#include "tools/dsrctl/arguments.h"

#include <doctest/doctest.h>

namespace dsr::ctl {
namespace {

const OptionSpec kSpec{{"--email", "--url", "--limit"}, {"--json", "--extended"}};

}  // namespace

TEST_SUITE("Arguments") {
  TEST_CASE("reads options with values, flags and positionals") {
    auto parsed = Arguments::Parse(
        {"show", "--email", "a@example.org", "--json", "r-1", "--limit", "5"}, kSpec);
    REQUIRE(parsed.ok());
    CHECK(parsed->Value("--email") == "a@example.org");
    CHECK(parsed->Value("--limit") == "5");
    CHECK(parsed->Has("--json"));
    CHECK(parsed->Has("--email"));
    CHECK_FALSE(parsed->Has("--extended"));
    CHECK_FALSE(parsed->Has("--url"));
    CHECK(parsed->Value("--url", "http://127.0.0.1:8080") == "http://127.0.0.1:8080");
    CHECK(parsed->positional() == std::vector<std::string>{"show", "r-1"});
  }

  TEST_CASE("accepts the --name=value form, splitting at the first '='") {
    auto parsed = Arguments::Parse({"--url=http://h:1/?a=b", "--email="}, kSpec);
    REQUIRE(parsed.ok());
    CHECK(parsed->Value("--url") == "http://h:1/?a=b");
    CHECK(parsed->Has("--email"));
    CHECK(parsed->Value("--email", "fallback") == "");
  }

  TEST_CASE("a flag takes no value") {
    auto parsed = Arguments::Parse({"--json", "value"}, kSpec);
    REQUIRE(parsed.ok());
    CHECK(parsed->Has("--json"));
    CHECK(parsed->positional() == std::vector<std::string>{"value"});
    const auto inline_value = Arguments::Parse({"--json=yes"}, kSpec);
    CHECK(inline_value.status().code() == StatusCode::kInvalidArgument);
    CHECK(inline_value.status().message().find("takes no value") != std::string::npos);
  }

  TEST_CASE("refuses an unknown option, naming it") {
    auto parsed = Arguments::Parse({"--email", "a@example.org", "--colour", "red"}, kSpec);
    CHECK(parsed.status().code() == StatusCode::kInvalidArgument);
    CHECK(parsed.status().message().find("--colour") != std::string::npos);
    CHECK_FALSE(Arguments::Parse({"--colour=red"}, kSpec).ok());
  }

  TEST_CASE("refuses an option whose value is missing") {
    auto parsed = Arguments::Parse({"r-1", "--email"}, kSpec);
    CHECK(parsed.status().code() == StatusCode::kInvalidArgument);
    CHECK(parsed.status().message().find("--email") != std::string::npos);
    // The next option is not taken for the missing value.
    CHECK_FALSE(Arguments::Parse({"--email", "--json"}, kSpec).ok());
    CHECK(Arguments::Parse({"--email=--json"}, kSpec).ok());
  }

  TEST_CASE("single-dash words and a lone dash are positionals") {
    auto parsed = Arguments::Parse({"-", "-v", "file.zip"}, kSpec);
    REQUIRE(parsed.ok());
    CHECK(parsed->positional() == std::vector<std::string>{"-", "-v", "file.zip"});
    CHECK(Arguments::Parse({}, kSpec)->positional().empty());
  }
}

}  // namespace dsr::ctl
