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

  TEST_CASE("refuses nesting deeper than 32 levels, also far deeper, without crashing") {
    for (int levels : {40, 100000}) {
      CAPTURE(levels);
      auto json = YamlToJson(std::string(static_cast<size_t>(levels), '[') +
                             std::string(static_cast<size_t>(levels), ']'));
      CHECK(json.status().code() == StatusCode::kInvalidArgument);
    }
    CHECK(YamlToJson(std::string(30, '[') + std::string(30, ']')).ok());
  }

  TEST_CASE("refuses aliases that expand into a flood of values") {
    // Nine levels of ten aliases each: 10^9 values from a few hundred bytes.
    std::string yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int i = 1; i <= 9; ++i) {
      const std::string prev = "*a" + std::to_string(i - 1);
      yaml += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
      for (int j = 0; j < 10; ++j) yaml += (j ? ", " : "") + prev;
      yaml += "]\n";
    }
    auto json = YamlToJson(yaml);
    REQUIRE_FALSE(json.ok());
    CHECK(json.status().message().find("aliases") != std::string::npos);
    // A few aliases, as an operator might use them, still work.
    auto small = YamlToJson("base: &base {port: 1}\ncopy: *base\n");
    REQUIRE(small.ok());
    CHECK(small.value()["copy"]["port"] == 1);
  }

  TEST_CASE("refuses a config file over 1 MiB and reads no further") {
    auto loaded = LoadConfigFile("/dev/zero", "common");
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.status().message() == "/dev/zero: config file is larger than 1 MiB");
  }

  TEST_CASE("names the file when it cannot be read") {
    auto loaded = LoadConfigFile("/nonexistent/dsr.yaml", "common");
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.status().message().find("/nonexistent/dsr.yaml") == 0);
  }
}
}  // namespace dsr
