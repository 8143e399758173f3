#include "tools/dsrctl/request_queries.h"

#include <doctest/doctest.h>

#include "tools/dsrctl/commands.h"

namespace dsr::ctl {
namespace {

const OptionSpec kRequestsOptions{{"--status", "--limit", "--due-within", "--url"},
                                  {"--overdue", "--json"}};

Result<std::string> PathFor(const std::vector<std::string>& args) {
  auto parsed = Arguments::Parse(args, kRequestsOptions);
  REQUIRE(parsed.ok());
  return RequestListPath(*parsed);
}

}  // namespace

TEST_SUITE("RequestQueries") {
  TEST_CASE("--due-within takes days as 7d or 7") {
    CHECK(ParseDueWithin("7d").value() == 7);
    CHECK(ParseDueWithin("7").value() == 7);
    CHECK(ParseDueWithin("0d").value() == 0);
    CHECK(ParseDueWithin("366").value() == 366);
    for (const char* bad : {"", "d", "7w", "-1", "367d", "1.5", "7 d", "1000"}) {
      CAPTURE(bad);
      CHECK(ParseDueWithin(bad).status().code() == StatusCode::kInvalidArgument);
    }
  }

  TEST_CASE("the options become the list's query") {
    CHECK(PathFor({}).value() == "/api/v1/requests?limit=100");
    CHECK(PathFor({"--overdue"}).value() == "/api/v1/requests?limit=100&deadline=overdue");
    CHECK(PathFor({"--due-within", "7d", "--status", "in_review", "--limit", "5"}).value() ==
          "/api/v1/requests?limit=5&status=in_review&due_within=7");
    CHECK_FALSE(PathFor({"--due-within", "week"}).ok());
  }

  TEST_CASE("requests, list and dashboard refuse wrong options before asking anyone") {
    // Unreachable URL: a usage error must come first, with exit code 2.
    CHECK(RunDsrctl({"requests", "--due-within", "7x", "--url", "http://127.0.0.1:1"}) == 2);
    CHECK(RunDsrctl({"list", "--overdue", "--url", "http://127.0.0.1:1"}) == 2);
    CHECK(RunDsrctl({"dashboard", "extra", "--url", "http://127.0.0.1:1"}) == 2);
    CHECK(RunDsrctl({"requests", "--overdue", "--url", "http://127.0.0.1:1"}) == 1);
  }
}

}  // namespace dsr::ctl
