// End-to-end: bad HTTP input gets a clear 4xx and changes nothing in the store.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include "tests/e2e/cluster.h"

namespace dsr::testing {
namespace {

// Rows in each table of the coordinator's store.
std::map<std::string, int64_t> StoreCounts(const std::string& store_path) {
  std::map<std::string, int64_t> counts;
  sqlite3* db = nullptr;
  sqlite3_open_v2(store_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  for (const char* table : {"requests", "tasks", "task_results", "events"}) {
    sqlite3_stmt* statement = nullptr;
    sqlite3_prepare_v2(db, (std::string("SELECT COUNT(*) FROM ") + table).c_str(), -1, &statement,
                       nullptr);
    if (sqlite3_step(statement) == SQLITE_ROW) counts[table] = sqlite3_column_int64(statement, 0);
    sqlite3_finalize(statement);
  }
  sqlite3_close(db);
  return counts;
}

nlohmann::json ErrorOf(const HttpAnswer& answer) {
  const auto body = nlohmann::json::parse(answer.body, nullptr, false);
  REQUIRE(body.is_object());
  REQUIRE(body.contains("error"));
  CHECK_FALSE(body["error"]["message"].get<std::string>().empty());
  return body["error"];
}

}  // namespace

TEST_SUITE("EndToEnd") {
  TEST_CASE("a bad request body gets a clear 4xx and leaves the store unchanged") {
    Cluster cluster;
    REQUIRE(cluster.StartCoordinator());
    REQUIRE(cluster.SubmitAccess({{"email", "someone@example.org"}}).is_object());
    const auto before = StoreCounts(cluster.store_path());
    REQUIRE(before.at("requests") == 1);

    struct Case {
      const char* name;
      std::string body;
      int status;
      const char* mentions;
    };
    const std::vector<Case> cases = {
        {"missing identity", R"({"type":"access","subject":{}})", 422, "subject"},
        {"no subject at all", R"({"type":"access"})", 422, "subject"},
        {"unknown type", R"({"type":"deletion","subject":{"email":"a@b.example"}})", 422, "type"},
        {"malformed date",
         R"({"type":"access","subject":{"email":"a@b.example"},"received_on":"05.03.2025"})", 422,
         "received_on"},
        {"impossible date",
         R"({"type":"access","subject":{"email":"a@b.example"},"received_on":"2025-02-30"})", 422,
         "received_on"},
        {"date in the future",
         R"({"type":"access","subject":{"email":"a@b.example"},"received_on":"2999-01-01"})", 422,
         "future"},
        {"unknown field", R"({"type":"access","subject":{"email":"a@b.example"},"priority":1})",
         422, "priority"},
        {"identity of the wrong type", R"({"type":"access","subject":{"email":42}})", 422,
         "subject.email"},
        {"not JSON", R"({"type": "access", )", 400, "JSON"},
        {"empty body", "", 400, "empty"},
        {"JSON nested 10,000 deep", std::string(10000, '[') + std::string(10000, ']'), 400,
         "nesting"},
        {"10 MB of JSON",
         R"({"type":"access","subject":{"email":"a@b.example"},"note":")" +
             std::string(10 << 20, 'x') + "\"}",
         413, "larger"},
        {"CRLF and a header in a name",
         R"({"type":"access","subject":{"name":"Anna\r\nBcc: all@example.org"}})", 422,
         "subject.name"},
        {"CRLF and an IMAP command in a customer id",
         R"({"type":"access","subject":{"customer_id":"C-1\r\na1 EXPUNGE"}})", 422,
         "subject.customer_id"},
        {"NUL in a name", R"({"type":"access","subject":{"name":"x\u0000../../etc/passwd"}})", 422,
         "subject.name"},
        {"line break in a correction",
         R"({"type":"rectification","subject":{"email":"a@b.example"},"corrections":{"postal_address":{"city":"Bonn\nX: y"}}})",
         422, "corrections.postal_address.city"},
        {"rectification without corrections",
         R"({"type":"rectification","subject":{"email":"a@b.example"}})", 422, "corrections"},
        {"corrections on an access request",
         R"({"type":"access","subject":{"email":"a@b.example"},"corrections":{"email":"b@c.example"}})",
         422, "corrections"},
    };
    for (const auto& bad : cases) {
      CAPTURE(bad.name);
      const auto answer = cluster.Call("POST", "/api/v1/requests", bad.body);
      CHECK(answer.status == bad.status);
      const auto error = ErrorOf(answer);
      const std::string everything = error.dump();
      CHECK_MESSAGE(everything.find(bad.mentions) != std::string::npos, everything);
      CHECK(StoreCounts(cluster.store_path()) == before);
    }
  }

  TEST_CASE("reads answer 404, 405 and 409 with a JSON error") {
    Cluster cluster;
    REQUIRE(cluster.StartCoordinator());
    const auto created = cluster.SubmitAccess({{"email", "someone@example.org"}});
    REQUIRE(created.is_object());
    const std::string id = created.at("id").get<std::string>();

    CHECK(cluster.Call("GET", "/api/v1/requests/no-such-id").status == 404);
    CHECK(cluster.Call("GET", "/api/v1/nothing-here").status == 404);
    const auto not_ready = cluster.Call("GET", "/api/v1/requests/" + id + "/bundle");
    CHECK(not_ready.status == 409);
    CHECK(ErrorOf(not_ready).at("code") == "conflict");
    const auto wrong_method = cluster.Call("DELETE", "/api/v1/requests");
    CHECK(wrong_method.status == 405);
    CHECK(wrong_method.headers.at("Allow").find("POST") != std::string::npos);
    CHECK(cluster.Call("GET", "/api/v1/requests?status=lost").status == 400);
    CHECK(cluster.Call("GET", "/api/v1/requests?limit=0").status == 400);

    const auto listed = cluster.Call("GET", "/api/v1/requests?status=in_progress");
    REQUIRE(listed.status == 200);
    CHECK(nlohmann::json::parse(listed.body).at("requests").size() == 1);
    CHECK(nlohmann::json::parse(cluster.Call("GET", "/api/v1/requests?status=completed").body)
              .at("requests")
              .empty());
  }
}

}  // namespace dsr::testing
