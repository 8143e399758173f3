#include "common/schema.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

namespace dsr {
TEST_SUITE("SchemaRegistry") {
  const SchemaRegistry& registry = SchemaRegistry::Embedded();

  TEST_CASE("loads every embedded schema") {
    const auto names = registry.Names();
    CHECK(std::find(names.begin(), names.end(), "wire/ready") != names.end());
    CHECK(std::find(names.begin(), names.end(), "common") != names.end());
  }

  TEST_CASE("accepts a valid document and resolves references to common.json") {
    nlohmann::json ready = {{"source", "crm"},    {"connector", "sql"}, {"worker", "crm-1"},
                            {"version", "0.1.0"}, {"capacity", 1},      {"actions", {"export"}}};
    CHECK(registry.Validate("wire/ready", ready).ok());
    ready["source"] = "../etc";
    const Status status = registry.Validate("wire/ready", ready);
    CHECK(status.code() == StatusCode::kValidation);
  }

  TEST_CASE("reports only the innermost path of a violation") {
    nlohmann::json task = {{"task_id", "00000000-0000-4000-8000-000000000000"},
                           {"attempt", 1},
                           {"request_id", "00000000-0000-4000-8000-000000000001"},
                           {"action", "export"},
                           {"subject", {{"email", 42}}}};
    const Status status = registry.Validate("wire/task", task);
    REQUIRE(status.code() == StatusCode::kValidation);
    REQUIRE_FALSE(status.details().empty());
    for (const auto& detail : status.details()) {
      CHECK(detail.rfind("subject.email:", 0) == 0);
    }
  }

  TEST_CASE("a subject may be identified by an IP address, and only by one that looks like one") {
    nlohmann::json body = {{"type", "access"}, {"subject", {{"ip_address", "192.0.2.17"}}}};
    CHECK(registry.Validate("api/request-create", body).ok());
    body["subject"]["ip_address"] = "2001:db8::42";
    CHECK(registry.Validate("api/request-create", body).ok());
    for (const char* bad : {"192.0.2.17; rm", "example.org", "", "1"}) {
      body["subject"]["ip_address"] = bad;
      CHECK_MESSAGE(registry.Validate("api/request-create", body).code() == StatusCode::kValidation,
                    bad);
    }
  }

  TEST_CASE("strings with stray UTF-8 bytes or NUL are measured correctly and safely") {
    // Found by fuzz/config_fuzz: a run of continuation bytes made valijson's
    // length count read past its table. Each bad byte now counts as one
    // character, and a NUL no longer ends the count.
    nlohmann::json body = {{"type", "access"}, {"subject", {{"customer_id", "C-1"}}}};
    body["note"] = std::string(12, '\x80');
    CHECK(registry.Validate("api/request-create", body).ok());
    body["note"] = std::string(2000, '\xff');
    CHECK(registry.Validate("api/request-create", body).ok());
    body["note"] = std::string(2001, '\xff');
    CHECK(registry.Validate("api/request-create", body).code() == StatusCode::kValidation);
    body["note"] = "x" + std::string(1, '\0') + std::string(3000, 'y');
    const Status long_after_nul = registry.Validate("api/request-create", body);
    CHECK(long_after_nul.code() == StatusCode::kValidation);
    CHECK(long_after_nul.details().at(0).rfind("note", 0) == 0);
    body["note"] = "Grüße \xF0\x9F\x98\x80";  // well-formed: validated as it is
    CHECK(registry.Validate("api/request-create", body).ok());
  }

  TEST_CASE("an unknown schema name is an internal error") {
    CHECK(registry.Validate("wire/nope", nlohmann::json::object()).code() == StatusCode::kInternal);
  }
}
}  // namespace dsr
