// How the connector copes with a service that misbehaves, told to by the
// stand-in: rate limits (429 with Retry-After), server errors, stalls, small
// pages, refused credentials. Waits come from the server's headers and the
// connector's config, never from sleeps in the tests.
#include <doctest/doctest.h>

#include <chrono>
#include <fstream>
#include <mutex>
#include <thread>

#include "connectors/http/http_connector_internal.h"
#include "tests/http/standin_fixture.h"

namespace dsr::connectors::testing {
namespace {

using std::chrono::milliseconds;

// Waits as told and remembers each wait.
struct RecordingSleeper {
  std::shared_ptr<std::vector<milliseconds>> waits = std::make_shared<std::vector<milliseconds>>();
  http::ApiClient::Sleeper Sleeper() const {
    auto recorded = waits;
    return [recorded](milliseconds wait) {
      recorded->push_back(wait);
      std::this_thread::sleep_for(wait);
    };
  }
};

std::unique_ptr<Connector> WithSleeper(const nlohmann::json& config,
                                       const RecordingSleeper& sleeper) {
  auto connector = http::NewHttpConnectorWithSleeper(config, sleeper.Sleeper());
  REQUIRE_MESSAGE(connector.ok(), connector.status().ToString());
  return std::move(connector.value());
}

long long Route(const nlohmann::json& stats, const char* route) {
  return stats.at("routes").value(route, 0LL);
}

}  // namespace

TEST_SUITE("HttpConnector faults") {
  TEST_CASE("a 429 is retried after the Retry-After the server sends") {
    StandinFixture standin({"--fail-first", "1", "--retry-after", "1"});
    const auto& typical = standin.Sample("typical");
    RecordingSleeper sleeper;
    auto connector = WithSleeper(standin.Config(), sleeper);
    const auto start = std::chrono::steady_clock::now();
    auto located = connector->Locate({{"email", typical.email}});
    REQUIRE_MESSAGE(located.ok(), located.status().ToString());
    CHECK(std::chrono::steady_clock::now() - start >= milliseconds(1000));
    CHECK(located->confirmed["users"] == 1);
    REQUIRE(sleeper.waits->size() == 1);
    CHECK(sleeper.waits->front() == milliseconds(1000));
    const nlohmann::json stats = standin.Stats();
    CHECK(stats.at("rate_limited") == 1);
    CHECK(Route(stats, "search users") == 2);  // refused once, then answered
  }

  TEST_CASE("a Retry-After longer than max_retry_after_s fails at once") {
    StandinFixture standin;
    standin.SetFaults({{"rate_limited", 5}, {"retry_after_s", 3600}});
    nlohmann::json config = standin.Config();
    config["max_retry_after_s"] = 60;
    RecordingSleeper sleeper;
    auto connector = WithSleeper(config, sleeper);
    auto located = connector->Locate({{"email", standin.Sample("typical").email}});
    REQUIRE_FALSE(located.ok());
    CHECK(located.status().code() == StatusCode::kUnavailable);
    CHECK(located.status().message().find("max_retry_after_s") != std::string::npos);
    CHECK(sleeper.waits->empty());
    CHECK(standin.Stats().at("requests") == 1);
  }

  TEST_CASE("a 500 fails after bounded retries with the server's message") {
    StandinFixture standin;
    standin.SetFaults({{"fail_status", 500},
                       {"fail_count", 100},
                       {"fail_message", "ticket database in maintenance"}});
    nlohmann::json config = standin.Config();
    config["max_retries"] = 2;
    config["retry_backoff_ms"] = 5;
    RecordingSleeper sleeper;
    auto connector = WithSleeper(config, sleeper);
    auto located = connector->Locate({{"email", standin.Sample("typical").email}});
    REQUIRE_FALSE(located.ok());
    CHECK(located.status().code() == StatusCode::kUnavailable);
    const std::string& message = located.status().message();
    CHECK(message.find("search users: HTTP 500 after 3 attempts") != std::string::npos);
    CHECK(message.find("ticket database in maintenance") != std::string::npos);
    CHECK(message.find(standin.Sample("typical").email) == std::string::npos);
    CHECK(standin.Stats().at("failed") == 3);
    // Back-off doubles: 5 ms, then 10 ms.
    CHECK(*sleeper.waits == std::vector<milliseconds>{milliseconds(5), milliseconds(10)});
  }

  TEST_CASE("a 500 that passes within the retries does not fail the action") {
    StandinFixture standin({"--fail-count", "2", "--fail-status", "503"});
    auto connector = standin.NewConnector();
    auto located = connector->Locate({{"email", standin.Sample("typical").email}});
    REQUIRE_MESSAGE(located.ok(), located.status().ToString());
    CHECK(located->confirmed["users"] == 1);
  }

  TEST_CASE("a stalled server times out after timeout_ms") {
    StandinFixture standin;
    standin.SetFaults({{"delay_ms", 5000}, {"delay_count", 10}});
    nlohmann::json config = standin.Config();
    config["timeout_ms"] = 300;
    config["max_retries"] = 1;
    auto connector = standin.NewConnector(config);
    const auto start = std::chrono::steady_clock::now();
    auto located = connector->Locate({{"email", standin.Sample("typical").email}});
    const auto took = std::chrono::steady_clock::now() - start;
    REQUIRE_FALSE(located.ok());
    CHECK(located.status().code() == StatusCode::kUnavailable);
    CHECK(located.status().message().find("timeout_ms (300)") != std::string::npos);
    CHECK(located.status().message().find("2 attempts") != std::string::npos);
    CHECK(took < milliseconds(4000));
  }

  TEST_CASE("every page of a list is read") {
    StandinFixture standin({"--max-page-size", "2"});
    const auto& typical = standin.Sample("typical");
    const ExpectedRecords expected = ExpectedFor(standin.data(), typical.email);
    nlohmann::json config = standin.Config();
    config["page_size"] = 2;
    auto connector = standin.NewConnector(config);
    CollectingSink sink;
    REQUIRE(connector->Export({{"email", typical.email}}, sink).ok());
    auto keys = KeysOf(sink.records);
    CHECK(keys["tickets"] == expected.tickets);
    CHECK(keys["comments"] == expected.comments);
    // Three requested tickets in pages of two.
    CHECK(Route(standin.Stats(), "requested tickets") == 2);

    auto places = connector->Discover();
    REQUIRE(places.ok());
    const long long users =
        std::min<long long>(200, static_cast<long long>(standin.data().at("users").size()));
    CHECK(Route(standin.Stats(), "list users") == (users + 1) / 2);
  }

  TEST_CASE("refused credentials fail and point at connector.auth") {
    StandinFixture standin;
    nlohmann::json config = standin.Config();
    const std::string wrong = standin.token_file() + ".wrong";
    std::ofstream(wrong) << "not-the-token\n";
    config["auth"]["token_file"] = wrong;
    auto connector = standin.NewConnector(config);
    auto located = connector->Locate({{"email", standin.Sample("typical").email}});
    REQUIRE_FALSE(located.ok());
    CHECK(located.status().code() == StatusCode::kUnavailable);
    CHECK(located.status().message().find("HTTP 401") != std::string::npos);
    CHECK(located.status().message().find("connector.auth") != std::string::npos);
    CHECK(located.status().message().find("not-the-token") == std::string::npos);
  }

  TEST_CASE("a server nobody listens on is unavailable") {
    StandinFixture standin;
    nlohmann::json config = standin.Config();
    config["base_url"] = "http://127.0.0.1:1";
    config["max_retries"] = 0;
    auto connector = standin.NewConnector(config);
    auto located = connector->Locate({{"email", "someone@example.com"}});
    REQUIRE_FALSE(located.ok());
    CHECK(located.status().code() == StatusCode::kUnavailable);
    CHECK(located.status().message().find("cannot reach the server") != std::string::npos);
    CHECK(located.status().message().find("someone") == std::string::npos);
  }
}

}  // namespace dsr::connectors::testing
