// The coordinator's transport security settings: CurveZMQ keys and the
// worker allow-list for the broker, TLS for the API, and the explicit,
// loopback-only plaintext.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "common/config_file.h"
#include "coordinator/coordinator_config.h"
#include "tests/support/temp_dir.h"
#include "tests/support/transport_files.h"

namespace dsr {
namespace {

std::string ReplaceEvery(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// The annotated example with its key and certificate paths pointing at real
// files in `dir`, as JSON to change.
class Example {
 public:
  Example() : files_(dir_.path()) {
    for (const char* worker : {"crm-1", "mail-1", "tickets-1", "files-1"}) files_.Key(worker);
    const char* source = std::getenv("DSR_SOURCE_DIR");
    std::ifstream in(std::string(source != nullptr ? source : ".") +
                     "/deploy/examples/coordinator.yaml");
    std::ostringstream text;
    text << in.rdbuf();
    std::string yaml = ReplaceEvery(text.str(), "/etc/dsr/keys/", dir_.File("keys/"));
    yaml = ReplaceEvery(yaml, "/etc/dsr/tls/", dir_.File("tls/"));
    config_ = YamlToJson(yaml).value();
  }

  nlohmann::json& config() { return config_; }
  testing::TransportFiles& files() { return files_; }
  const testing::TempDir& dir() const { return dir_; }

  Result<CoordinatorConfig> Load() const {
    const std::string path = dir_.File("coordinator.yaml");
    std::ofstream(path, std::ios::trunc) << config_.dump(2);
    return LoadCoordinatorConfig(path);
  }

 private:
  testing::TempDir dir_;
  testing::TransportFiles files_;
  nlohmann::json config_;
};

// Loading fails, and the message names `key`.
void CheckRefused(const Example& example, const std::string& key) {
  auto loaded = example.Load();
  REQUIRE_FALSE(loaded.ok());
  const std::string text = loaded.status().ToString();
  CHECK_MESSAGE(text.find(key) != std::string::npos, text);
}

}  // namespace

TEST_SUITE("transport security config") {
  TEST_CASE("the example runs the broker with CurveZMQ and the API with TLS") {
    Example example;
    auto config = example.Load();
    REQUIRE_MESSAGE(config.ok(), config.status().ToString());
    REQUIRE(config->engine.security.has_value());
    const auto& security = *config->engine.security;
    CHECK(security.secret_key.size() == 40);
    REQUIRE(security.workers.size() == 4);
    CHECK(security.workers[0].name == "crm-1");
    CHECK(security.workers[0].public_key == example.files().Key("crm-1").public_key);
    CHECK(security.workers[0].sources == std::vector<std::string>{"crm"});
    CHECK(security.workers[0].MayServe("crm"));
    CHECK_FALSE(security.workers[0].MayServe("mail"));
    REQUIRE(config->http.tls.has_value());
    CHECK(config->http.tls->certificate_file == example.files().certificate_file());
  }

  TEST_CASE("a public key may be given inline instead of as a file") {
    Example example;
    auto& entry = example.config()["broker"]["workers"][1];
    entry.erase("public_key_file");
    entry["public_key"] = example.files().Key("mail-1").public_key;
    auto config = example.Load();
    REQUIRE_MESSAGE(config.ok(), config.status().ToString());
    CHECK(config->engine.security->workers[1].public_key ==
          example.files().Key("mail-1").public_key);
  }

  TEST_CASE("without keys the broker refuses to start unless plaintext is allowed on loopback") {
    Example example;
    auto& broker = example.config()["broker"];
    broker.erase("curve");
    CheckRefused(example, "broker.curve");

    broker.erase("workers");
    broker["allow_plaintext"] = true;
    auto plain = example.Load();
    REQUIRE_MESSAGE(plain.ok(), plain.status().ToString());
    CHECK_FALSE(plain->engine.security.has_value());

    broker["bind"] = "tcp://0.0.0.0:5555";
    CheckRefused(example, "broker.allow_plaintext: plaintext is allowed only on a loopback");
    broker["bind"] = "tcp://192.0.2.7:5555";
    CheckRefused(example, "loopback");
  }

  TEST_CASE("keys and plaintext together are refused as ambiguous") {
    Example example;
    example.config()["broker"]["allow_plaintext"] = true;
    CheckRefused(example, "choose one");
  }

  TEST_CASE("a broken allow-list stops the start and names the entry") {
    {
      Example example;
      example.config()["broker"]["workers"][0]["sources"] = {"crm", "payroll"};
      CheckRefused(example, "broker.workers[0].sources: 'payroll' is not one of the configured");
    }
    {
      Example example;
      example.config()["broker"]["workers"][1]["name"] = "crm-1";
      CheckRefused(example, "broker.workers[1].name: 'crm-1' appears twice");
    }
    {
      Example example;
      example.config()["broker"]["workers"][1]["public_key_file"] =
          example.files().Key("crm-1").public_file;
      CheckRefused(example, "broker.workers[1]: the same public key as 'crm-1'");
    }
    {
      Example example;
      auto& entry = example.config()["broker"]["workers"][0];
      entry.erase("public_key_file");
      entry["public_key"] = std::string(40, '~');  // not Z85
      CheckRefused(example, "broker.workers[0].public_key");
    }
    {
      Example example;
      example.config()["broker"].erase("workers");
      CheckRefused(example, "broker.workers");
    }
  }

  TEST_CASE("the coordinator's secret key must be private and match its public key") {
    {
      Example example;
      ::chmod(example.files().coordinator().secret_file.c_str(), 0644);
      CheckRefused(example, "broker.curve.secret_key_file");
      CheckRefused(example, "mode 0644");
    }
    {
      Example example;
      example.config()["broker"]["curve"]["public_key_file"] =
          example.files().Key("crm-1").public_file;
      CheckRefused(example, "does not belong to the secret key");
    }
    {
      Example example;
      std::ofstream(example.files().coordinator().secret_file, std::ios::trunc) << "not a key\n";
      CheckRefused(example, "holds no CURVE key");
    }
  }

  TEST_CASE("the API is HTTPS unless plain HTTP is asked for explicitly") {
    Example example;
    auto& http = example.config()["http"];
    http.erase("tls");
    CheckRefused(example, "http.tls");

    http["allow_plain_http"] = true;
    auto plain = example.Load();
    REQUIRE_MESSAGE(plain.ok(), plain.status().ToString());
    CHECK_FALSE(plain->http.tls.has_value());

    http["tls"] = {{"certificate_file", example.files().certificate_file()},
                   {"private_key_file", example.files().private_key_file()}};
    CheckRefused(example, "choose one");

    http.erase("allow_plain_http");
    http["tls"]["private_key_file"] = example.dir().File("missing.key");
    CheckRefused(example, "http.tls.private_key_file: cannot read");
  }
}

}  // namespace dsr
