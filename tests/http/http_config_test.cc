// Config checks of the HTTP connector: every error names the config key, and
// the example worker config for the ticket system loads.
#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "common/config_file.h"
#include "connectors/http/http_connector.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace dsr::connectors::testing {
namespace {

class ConfigFixture {
 public:
  ConfigFixture() { std::ofstream(dir_.File("token")) << "abc123\n"; }

  nlohmann::json Valid() const {
    return {{"kind", "http"},
            {"profile", "zendesk"},
            {"base_url", "https://example.zendesk.com"},
            {"auth", {{"email", "dsr@example.com"}, {"token_file", dir_.File("token")}}}};
  }
  std::string File(const std::string& name) const { return dir_.File(name); }

 private:
  dsr::testing::TempDir dir_;
};

// The error of building a connector from `config`, as one text.
std::string ErrorOf(const nlohmann::json& config) {
  auto connector = NewHttpConnector(config);
  REQUIRE_FALSE(connector.ok());
  CHECK(connector.status().code() == StatusCode::kValidation);
  std::string text = connector.status().message();
  for (const auto& detail : connector.status().details()) text += "\n" + detail;
  return text;
}

bool Mentions(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_SUITE("HttpConnector config") {
  TEST_CASE("a valid config builds a connector without a request") {
    ConfigFixture fixture;
    auto connector = NewHttpConnector(fixture.Valid());
    REQUIRE_MESSAGE(connector.ok(), connector.status().ToString());
    CHECK(connector.value()->kind() == "http");
  }

  TEST_CASE("the example worker config for the ticket system loads") {
    const std::string path = dsr::testing::SourceDir() + "/deploy/examples/worker-tickets.yaml";
    auto config = LoadConfigFile(path, "config/worker");
    REQUIRE_MESSAGE(config.ok(), config.status().ToString());
    CHECK(config.value()["source"] == "tickets");
    nlohmann::json connector_config = config.value()["connector"];
    CHECK(connector_config["base_url"] == "http://127.0.0.1:8090");
    CHECK(connector_config["erasure"]["strategy"] == "delete");
    // The token file lives on the worker's machine; here a test file stands in.
    ConfigFixture fixture;
    connector_config["auth"]["token_file"] = fixture.File("token");
    auto connector = NewHttpConnector(connector_config);
    CHECK_MESSAGE(connector.ok(), connector.status().ToString());
  }

  TEST_CASE("missing keys and unknown keys are named") {
    ConfigFixture fixture;
    nlohmann::json config = fixture.Valid();
    config.erase("base_url");
    CHECK(Mentions(ErrorOf(config), "base_url"));
    config = fixture.Valid();
    config["timeout"] = 100;
    CHECK(Mentions(ErrorOf(config), "timeout"));
    config = fixture.Valid();
    config["profile"] = "freshdesk";
    CHECK(Mentions(ErrorOf(config), "connector.profile"));
    config = fixture.Valid();
    config["page_size"] = 500;
    CHECK(Mentions(ErrorOf(config), "connector.page_size"));
  }

  TEST_CASE("a base URL with a path is refused") {
    ConfigFixture fixture;
    nlohmann::json config = fixture.Valid();
    config["base_url"] = "https://example.zendesk.com/api/v2";
    CHECK(Mentions(ErrorOf(config), "connector.base_url"));
  }

  TEST_CASE("plain http is refused except on loopback, since the token would travel in clear") {
    ConfigFixture fixture;
    nlohmann::json config = fixture.Valid();
    config["base_url"] = "http://tickets.example.com";
    const std::string error = ErrorOf(config);
    CHECK(Mentions(error, "connector.base_url"));
    CHECK(Mentions(error, "in clear"));
    config["base_url"] = "http://127.0.0.1:8090";
    CHECK(NewHttpConnector(config).ok());
  }

  TEST_CASE("a token file that is missing, empty or not a token is named") {
    ConfigFixture fixture;
    nlohmann::json config = fixture.Valid();
    config["auth"]["token_file"] = fixture.File("missing");
    CHECK(Mentions(ErrorOf(config), "connector.auth.token_file: cannot read"));
    std::ofstream(fixture.File("empty")) << "\n";
    config["auth"]["token_file"] = fixture.File("empty");
    CHECK(Mentions(ErrorOf(config), "connector.auth.token_file"));
    std::ofstream(fixture.File("two")) << "abc def\n";
    config["auth"]["token_file"] = fixture.File("two");
    const std::string error = ErrorOf(config);
    CHECK(Mentions(error, "connector.auth.token_file"));
    CHECK_FALSE(Mentions(error, "abc"));
  }

  TEST_CASE("erasure: retain needs its policy, delete takes none, and bad values are named") {
    ConfigFixture fixture;
    nlohmann::json config = fixture.Valid();
    config["erasure"] = {{"strategy", "retain"}};
    CHECK(Mentions(ErrorOf(config), "connector.erasure.retain: missing"));
    config["erasure"] = {{"strategy", "delete"},
                         {"retain", {{"legal_basis", "§257 HGB"}, {"years", 6}}}};
    CHECK(Mentions(ErrorOf(config), "connector.erasure.retain: given"));
    config["erasure"] = {{"strategy", "anonymize"}};
    CHECK(Mentions(ErrorOf(config), "connector.erasure.strategy"));
    config["erasure"] = nlohmann::json::object();
    CHECK(Mentions(ErrorOf(config), "connector.erasure"));
    config["erasure"] = {{"strategy", "retain"}, {"retain", {{"legal_basis", "§257 HGB"}}}};
    std::string error = ErrorOf(config);
    CHECK(Mentions(error, "connector.erasure.retain"));
    CHECK(Mentions(error, "years"));
    config["erasure"] = {{"strategy", "retain"}, {"retain", {{"years", 6}}}};
    CHECK(Mentions(ErrorOf(config), "legal_basis"));
    config["erasure"] = {{"strategy", "retain"},
                         {"retain", {{"legal_basis", "§257 HGB"}, {"years", 0}}}};
    CHECK(Mentions(ErrorOf(config), "connector.erasure.retain.years"));
    config["erasure"] = {
        {"strategy", "retain"},
        {"retain", {{"legal_basis", "§257 HGB"}, {"years", 6}, {"from", "receipt"}}}};
    CHECK(Mentions(ErrorOf(config), "connector.erasure.retain.from"));
  }

  TEST_CASE("erasure: either strategy builds a connector") {
    ConfigFixture fixture;
    nlohmann::json config = fixture.Valid();
    config["erasure"] = {{"strategy", "delete"}};
    CHECK(NewHttpConnector(config).ok());
    config["erasure"] = {{"strategy", "retain"},
                         {"retain", {{"legal_basis", "§257 HGB"}, {"years", 6}, {"from", "date"}}}};
    auto connector = NewHttpConnector(config);
    CHECK_MESSAGE(connector.ok(), connector.status().ToString());
  }

  TEST_CASE("ca_file needs verified https") {
    ConfigFixture fixture;
    nlohmann::json config = fixture.Valid();
    config["ca_file"] = fixture.File("token");
    config["tls_verify"] = false;
    CHECK(Mentions(ErrorOf(config), "connector.ca_file"));
    config["tls_verify"] = true;
    config["ca_file"] = fixture.File("missing.pem");
    CHECK(Mentions(ErrorOf(config), "connector.ca_file: cannot read"));
  }
}

}  // namespace dsr::connectors::testing
