// The worker's transport settings: its CurveZMQ keys and the coordinator's
// public key, or plaintext only when asked for and only to loopback.
#include "workers/worker_transport.h"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <fstream>

#include "common/curve_keys.h"
#include "tests/support/temp_dir.h"

namespace dsr::workers {
namespace {

struct Keys {
  Keys() {
    own = GenerateCurveKeyPair().value();
    coordinator = GenerateCurveKeyPair().value();
    REQUIRE(WriteCurveKeyPair(own, dir.File("w.key"), dir.File("w.pub"), "worker").ok());
    REQUIRE(
        WriteCurveKeyPair(coordinator, dir.File("c.key"), dir.File("c.pub"), "coordinator").ok());
  }
  nlohmann::json Config() const {
    return {{"coordinator", "tcp://dsr.example.org:5555"},
            {"curve",
             {{"secret_key_file", dir.File("w.key")},
              {"public_key_file", dir.File("w.pub")},
              {"coordinator_public_key_file", dir.File("c.pub")}}}};
  }
  testing::TempDir dir;
  CurveKeyPair own;
  CurveKeyPair coordinator;
};

std::string ErrorOf(const nlohmann::json& config) {
  auto loaded = LoadWorkerCurve(config);
  REQUIRE_FALSE(loaded.ok());
  return loaded.status().message();
}

}  // namespace

TEST_SUITE("worker transport config") {
  TEST_CASE("reads the key pair and the coordinator's key from files or inline") {
    Keys keys;
    auto loaded = LoadWorkerCurve(keys.Config());
    REQUIRE_MESSAGE(loaded.ok(), loaded.status().ToString());
    REQUIRE(loaded->has_value());
    CHECK((*loaded)->secret_key == keys.own.secret_key);
    CHECK((*loaded)->public_key == keys.own.public_key);
    CHECK((*loaded)->server_key == keys.coordinator.public_key);

    nlohmann::json inline_key = keys.Config();
    inline_key["curve"].erase("coordinator_public_key_file");
    inline_key["curve"]["coordinator_public_key"] = keys.coordinator.public_key;
    auto inlined = LoadWorkerCurve(inline_key);
    REQUIRE(inlined.ok());
    CHECK((*inlined)->server_key == keys.coordinator.public_key);
  }

  TEST_CASE("refuses missing, mismatched or exposed keys with the config key named") {
    Keys keys;
    nlohmann::json none = keys.Config();
    none.erase("curve");
    CHECK(ErrorOf(none).find("curve: the worker must authenticate") != std::string::npos);

    nlohmann::json no_server = keys.Config();
    no_server["curve"].erase("coordinator_public_key_file");
    CHECK(ErrorOf(no_server).find("coordinator's public key is missing") != std::string::npos);

    nlohmann::json wrong_public = keys.Config();
    wrong_public["curve"]["public_key_file"] = keys.dir.File("c.pub");
    CHECK(ErrorOf(wrong_public).find("curve.public_key_file: the public key does not belong") !=
          std::string::npos);

    nlohmann::json bad_server = keys.Config();
    bad_server["curve"].erase("coordinator_public_key_file");
    bad_server["curve"]["coordinator_public_key"] = std::string(40, '#');
    CHECK(ErrorOf(bad_server).find("curve.coordinator_public_key") != std::string::npos);

    ::chmod(keys.dir.File("w.key").c_str(), 0644);
    CHECK(ErrorOf(keys.Config()).find("curve.secret_key_file") != std::string::npos);
  }

  TEST_CASE("plaintext only when asked for, to a coordinator on loopback") {
    Keys keys;
    nlohmann::json plain = {{"coordinator", "tcp://127.0.0.1:5555"}, {"allow_plaintext", true}};
    auto loaded = LoadWorkerCurve(plain);
    REQUIRE(loaded.ok());
    CHECK_FALSE(loaded->has_value());

    plain["coordinator"] = "tcp://dsr.example.org:5555";
    CHECK(ErrorOf(plain).find("allow_plaintext: plaintext is allowed only to a coordinator on "
                              "loopback") != std::string::npos);

    nlohmann::json both = keys.Config();
    both["allow_plaintext"] = true;
    CHECK(ErrorOf(both).find("choose one") != std::string::npos);

    nlohmann::json off = keys.Config();
    off["allow_plaintext"] = false;  // an explicit no changes nothing
    CHECK(LoadWorkerCurve(off).ok());
  }
}

}  // namespace dsr::workers
