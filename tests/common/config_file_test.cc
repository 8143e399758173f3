#include "common/config_file.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

namespace dsr {
TEST_SUITE("ConfigFile") {
  TEST_CASE("turns plain YAML scalars into typed JSON and keeps quoted ones as strings") {
    auto json = YamlToJson("a: 1\nb: true\nc: ~\nd: '1'\ne: 1.5\nf: text\ng: [x, 2]\n");
    REQUIRE(json.ok());
    CHECK(json.value()["a"] == 1);
    CHECK(json.value()["b"] == true);
    CHECK(json.value()["c"].is_null());
    CHECK(json.value()["d"] == "1");
    CHECK(json.value()["e"] == 1.5);
    CHECK(json.value()["f"] == "text");
    CHECK(json.value()["g"] == nlohmann::json({"x", 2}));
  }

  TEST_CASE("reads numbers only where the whole scalar is a number") {
    auto json = YamlToJson("a: -12\nb: +3\nc: .5\nd: 1.5e3\ne: 12abc\nf: 1.2.3\ng: '-'\nh: 1e5\n");
    REQUIRE(json.ok());
    CHECK(json.value()["a"] == -12);
    CHECK(json.value()["b"] == 3);
    CHECK(json.value()["c"] == 0.5);
    CHECK(json.value()["d"] == 1500.0);
    CHECK(json.value()["e"] == "12abc");
    CHECK(json.value()["f"] == "1.2.3");
    CHECK(json.value()["g"] == "-");
    CHECK(json.value()["h"] == "1e5");
  }

  TEST_CASE("reports the line of a YAML syntax error") {
    auto json = YamlToJson("a: [1, 2\nb: 3\n");
    REQUIRE_FALSE(json.ok());
    CHECK(json.status().message().find("line") != std::string::npos);
  }

  TEST_CASE("refuses duplicate keys") {
    CHECK_FALSE(YamlToJson("a: 1\na: 2\n").ok());
  }

  TEST_CASE("names the file when it cannot be read") {
    auto loaded = LoadConfigFile("/nonexistent/dsr.yaml", "common");
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.status().message().find("/nonexistent/dsr.yaml") == 0);
  }
}
}  // namespace dsr
