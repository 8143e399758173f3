// End-to-end: delivery of the answer to the data subject by link, on the
// real coordinator over HTTPS. An agent makes a link for a sealed bundle;
// the data subject, without any credentials, gets exactly the bundle's
// bytes; a link with a one-time code refuses a wrong code and is revoked
// after five. (Expiry by the clock: tests/auth/delivery_links_test.cc.)
#include <doctest/doctest.h>

#include <cstdlib>

#include "common/digest.h"
#include "tests/e2e/cluster.h"
#include "tests/e2e/http_answer.h"

namespace dsr::testing {
namespace {

// A call as the data subject makes it: no Authorization header at all.
HttpAnswer Anonymous(const Cluster& cluster, const std::string& method, const std::string& path,
                     const std::string& body = "") {
  return HttpCall(cluster.url(), method, path, body, "application/x-www-form-urlencoded",
                  cluster.ca_file(), {});
}

// The path part of a delivery URL the coordinator answered.
std::string PathOf(const Cluster& cluster, const nlohmann::json& link) {
  const std::string url = link.at("url").get<std::string>();
  REQUIRE(url.rfind(cluster.url() + "/delivery/dsrd_", 0) == 0);
  return url.substr(cluster.url().size());
}

void CheckPageHeaders(const HttpAnswer& answer) {
  CHECK(Header(answer, "Cache-Control") == "no-store");
  CHECK(Header(answer, "Content-Security-Policy").find("default-src 'none'") != std::string::npos);
  CHECK(Header(answer, "Referrer-Policy") == "no-referrer");
}

}  // namespace

TEST_SUITE("EndToEnd") {
  TEST_CASE("the data subject downloads the sealed bundle by link, with and without a code") {
    Cluster cluster;
    const auto samples = ParseSamples(cluster.GenerateCrm(300));
    REQUIRE(cluster.StartCoordinator());
    REQUIRE(cluster.StartWorker("crm-1"));
    const auto created = cluster.SubmitAccess({{"email", SampleOfKind(samples, "typical").email}});
    REQUIRE(created.is_object());
    const std::string id = created.at("id").get<std::string>();
    const std::string delivery = "/api/v1/requests/" + id + "/delivery";

    // Not before the bundle is sealed.
    CHECK(cluster.Call("POST", delivery, "{}", "agent").status == 409);
    REQUIRE(cluster.ReviewAndApprove(id).at("status") == "completed");
    const HttpAnswer authenticated = cluster.Call("GET", "/api/v1/requests/" + id + "/bundle");
    REQUIRE(authenticated.status == 200);
    const std::string digest = Header(authenticated, "X-Content-SHA256");
    REQUIRE(digest.size() == 64);
    CHECK(Sha256Hex(authenticated.body) == digest);

    // Only case workers make links; bad bodies change nothing.
    CHECK(cluster.Call("POST", delivery, "{}", "auditor").status == 403);
    CHECK(cluster.Call("POST", delivery, "{}", "admin").status == 403);
    CHECK(cluster.Call("POST", delivery, "", "").status == 401);
    CHECK(cluster.Call("POST", delivery, R"({"expires_in_days": 31})", "agent").status == 422);
    CHECK(cluster.Call("POST", delivery, R"({"one_time_code": "yes"})", "agent").status == 422);
    CHECK(cluster.Call("POST", "/api/v1/requests/no-such/delivery", "{}", "agent").status == 404);

    const HttpAnswer made = cluster.Call("POST", delivery, R"({"expires_in_days": 2})", "agent");
    REQUIRE_MESSAGE(made.status == 201, made.body);
    const auto link = Json(made);
    CHECK(link.at("one_time_code").is_null());
    CHECK(link.at("expires_at").is_string());
    const std::string path = PathOf(cluster, link);

    const HttpAnswer page = Anonymous(cluster, "GET", path);
    REQUIRE(page.status == 200);
    CheckPageHeaders(page);
    CHECK(Header(page, "Content-Type").find("text/html") == 0);
    CHECK(page.body.find("href=\"" + path + "/bundle\"") != std::string::npos);
    CHECK(page.body.find("<script") == std::string::npos);

    const HttpAnswer download = Anonymous(cluster, "GET", path + "/bundle");
    REQUIRE(download.status == 200);
    CheckPageHeaders(download);
    CHECK(download.body.size() == authenticated.body.size());
    CHECK(Sha256Hex(download.body) == digest);

    // An unknown token, and a token of the right shape that was never issued.
    CHECK(Anonymous(cluster, "GET", "/delivery/nonsense").status == 404);
    CHECK(Anonymous(cluster, "GET", "/delivery/dsrd_" + std::string(43, 'A') + "/bundle").status ==
          404);

    // With a one-time code, made with dsrctl.
    const std::string out = cluster.dir().File("deliver.out");
    REQUIRE(std::system(("DSR_TOKEN=" + cluster.token_of("agent") + " " + BinDir() +
                         "/dsrctl deliver " + id + " --days 5 --code --url " + cluster.url() +
                         " --ca-file " + cluster.ca_file() + " > " + out + " 2>/dev/null")
                            .c_str()) == 0);
    const std::string printed = ReadFile(out);
    const size_t newline = printed.find('\n');
    REQUIRE(newline != std::string::npos);
    const std::string coded_path =
        PathOf(cluster, nlohmann::json{{"url", printed.substr(0, newline)}});
    const std::string code = printed.substr(newline + 1, 8);
    REQUIRE(code.find_first_not_of("0123456789") == std::string::npos);
    REQUIRE(code.size() == 8);

    const HttpAnswer form = Anonymous(cluster, "GET", coded_path);
    REQUIRE(form.status == 200);
    CHECK(form.body.find("name=\"code\"") != std::string::npos);
    CHECK(Anonymous(cluster, "GET", coded_path + "/bundle").status == 403);
    CHECK(Anonymous(cluster, "POST", coded_path + "/bundle", "").status == 403);
    const std::string wrong = code == "00000000" ? "11111111" : "00000000";
    const HttpAnswer refused = Anonymous(cluster, "POST", coded_path + "/bundle", "code=" + wrong);
    CHECK(refused.status == 403);
    CHECK(refused.body.find("PK") != 0);
    const HttpAnswer right = Anonymous(cluster, "POST", coded_path + "/bundle", "code=" + code);
    REQUIRE(right.status == 200);
    CHECK(Sha256Hex(right.body) == digest);
    // Four more wrong codes make five: the link is revoked, the right code no longer helps.
    for (int i = 0; i < 4; ++i) {
      CAPTURE(i);
      CHECK(Anonymous(cluster, "POST", coded_path + "/bundle", "code=" + wrong).status ==
            (i < 3 ? 403 : 410));
    }
    CHECK(Anonymous(cluster, "POST", coded_path + "/bundle", "code=" + code).status == 410);
    const HttpAnswer gone = Anonymous(cluster, "GET", coded_path);
    CHECK(gone.status == 410);
    CheckPageHeaders(gone);

    // The audit trail counts what happened, never the token or the code.
    const auto events = cluster.Call("GET", "/api/v1/requests/" + id + "/events", "", "dpo");
    REQUIRE(events.status == 200);
    const nlohmann::json trail = Json(events);
    std::map<std::string, int> count;
    for (const auto& event : trail.at("events")) count[event.at("kind").get<std::string>()]++;
    CHECK(count["delivery.link_created"] == 2);
    CHECK(count["delivery.downloaded"] == 2);
    CHECK(count["delivery.link_revoked"] == 1);
    CHECK(events.body.find(code) == std::string::npos);
    CHECK(events.body.find(path.substr(10)) == std::string::npos);
  }
}

}  // namespace dsr::testing
