// The router's session cookie and CSRF header (session_cookie.h), with real
// accounts on a SQLite store. The browser's whole course over HTTPS is in
// tests/e2e/web_interface_test.cc.
#include "coordinator/api/session_cookie.h"

#include <doctest/doctest.h>

#include <atomic>
#include <tuple>
#include <vector>

#include "coordinator/api/router.h"
#include "coordinator/auth/accounts.h"
#include "tests/support/temp_dir.h"

namespace dsr::api {
namespace {

using auth::Access;

struct Fixture {
  testing::TempDir dir;
  std::unique_ptr<store::Store> store =
      std::move(store::Store::Open("sqlite3://db=" + dir.File("dsr.db"), 1).value());
  ManualClock clock{Clock::WallTime(std::chrono::hours(24 * 20000))};
  auth::Accounts accounts{*store, clock};
  std::atomic<int> handled{0};
  std::string api_token;
  std::string session;

  Fixture() {
    REQUIRE(accounts.CreateUser("anna", auth::Role::kAgent, "a password long enough").ok());
    api_token = accounts.IssueToken("anna", std::nullopt, std::nullopt).value().token;
    session = accounts.Login("anna", "a password long enough").value().token;
  }

  Router MakeRouter() {
    auto echo = [this](const ApiRequest& request) {
      ++handled;
      return JsonResponse(200, {{"caller", request.principal ? request.principal->name : ""},
                                {"via_cookie", request.via_cookie}});
    };
    return Router({{"GET", "/api/v1/requests", Access::kCaseWork, echo},
                   {"POST", "/api/v1/requests", Access::kCaseWork, echo},
                   {"DELETE", "/api/v1/session", Access::kSignedIn, echo},
                   {"POST", "/login", Access::kPublic, echo}},
                  accounts);
  }

  ApiResponse Call(const std::string& method, const std::string& path, const std::string& cookie,
                   const std::string& csrf = "", const std::string& authorization = "") {
    ApiRequest request;
    request.method = method;
    request.path = path;
    request.cookie = cookie;
    request.csrf = csrf;
    request.authorization = authorization;
    return MakeRouter().Handle(request);
  }
};

}  // namespace

TEST_SUITE("SessionCookie") {
  TEST_CASE("finds a cookie among others, and says nothing of a missing one") {
    CHECK(CookieValue("dsr_session=dsrs_abc", "dsr_session") ==
          std::optional<std::string>("dsrs_abc"));
    CHECK(CookieValue("theme=dark;  dsr_session=dsrs_x ; lang=de", "dsr_session") ==
          std::optional<std::string>("dsrs_x"));
    CHECK(CookieValue("theme=dark; dsr_session=\"dsrs_q\"", "dsr_session") ==
          std::optional<std::string>("dsrs_q"));
    CHECK(CookieValue("xdsr_session=dsrs_x; dsr_sessionx=dsrs_y", "dsr_session") == std::nullopt);
    CHECK(CookieValue("", "dsr_session") == std::nullopt);
    CHECK(CookieValue("dsr_session", "dsr_session") == std::nullopt);
  }

  TEST_CASE("the cookie's attributes keep it from scripts and other sites") {
    CHECK(SessionCookie("dsrs_t", std::chrono::seconds(600), true) ==
          "dsr_session=dsrs_t; Max-Age=600; Path=/; HttpOnly; SameSite=Strict; Secure");
    CHECK(SessionCookie("dsrs_t", std::chrono::seconds(-5), false) ==
          "dsr_session=dsrs_t; Max-Age=0; Path=/; HttpOnly; SameSite=Strict");
    CHECK(ClearedSessionCookie(true) ==
          "dsr_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict; Secure");
    CHECK_FALSE(NeedsCsrfHeader("GET"));
    CHECK_FALSE(NeedsCsrfHeader("HEAD"));
    for (const char* method : {"POST", "PUT", "PATCH", "DELETE"}) CHECK(NeedsCsrfHeader(method));
  }

  TEST_CASE("IsCrossSite compares the Origin's host and port with the Host header") {
    CHECK_FALSE(IsCrossSite("", "dsr.example:8443"));  // not a browser
    CHECK_FALSE(IsCrossSite("https://dsr.example:8443", "dsr.example:8443"));
    CHECK_FALSE(IsCrossSite("https://DSR.example", "dsr.example:443"));
    CHECK_FALSE(IsCrossSite("http://dsr.example:80", "dsr.example"));
    CHECK_FALSE(IsCrossSite("https://dsr.example/", "dsr.example"));
    CHECK(IsCrossSite("https://evil.example", "dsr.example"));
    CHECK(IsCrossSite("https://dsr.example:8444", "dsr.example:8443"));
    CHECK(IsCrossSite("https://dsr.example.evil.example", "dsr.example"));
    CHECK(IsCrossSite("null", "dsr.example"));
    CHECK(IsCrossSite("https://dsr.example", ""));
  }

  TEST_CASE("a change sent from another site's page is refused before anything runs") {
    Fixture f;
    const int before = f.handled;
    for (const auto& [path, cookie, authorization] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"/login", "", ""},  // signing a browser in to someone else's account
             {"/api/v1/requests", "dsr_session=" + f.session, ""},
             {"/api/v1/requests", "", "Bearer " + f.api_token}}) {
      CAPTURE(path);
      ApiRequest request;
      request.method = "POST";
      request.path = path;
      request.cookie = cookie;
      request.csrf = "1";
      request.authorization = authorization;
      request.host = "dsr.example:8443";
      request.origin = "https://evil.example";
      const auto refused = f.MakeRouter().Handle(request);
      CHECK(refused.status == 403);
      CHECK(refused.body.at("error").at("code") == "cross_site_request");
      request.origin = "https://dsr.example:8443";  // dsr's own page
      CHECK(f.MakeRouter().Handle(request).status == 200);
    }
    CHECK(f.handled == before + 3);
    // Reading is not refused: a link from elsewhere may open a page.
    ApiRequest read;
    read.method = "GET";
    read.path = "/api/v1/requests";
    read.cookie = "dsr_session=" + f.session;
    read.host = "dsr.example:8443";
    read.origin = "https://evil.example";
    CHECK(f.MakeRouter().Handle(read).status == 200);
  }

  TEST_CASE("a session in the cookie authenticates; a change needs X-DSR-CSRF: 1") {
    Fixture f;
    const auto read = f.Call("GET", "/api/v1/requests", "dsr_session=" + f.session);
    REQUIRE(read.status == 200);
    CHECK(read.body.at("caller") == "anna");
    CHECK(read.body.at("via_cookie") == true);

    const int before = f.handled;
    for (const char* csrf : {"", "0", "true", "1 "}) {
      CAPTURE(csrf);
      const auto refused = f.Call("POST", "/api/v1/requests", "dsr_session=" + f.session, csrf);
      CHECK(refused.status == 403);
      CHECK(refused.body.at("error").at("code") == "csrf_header_missing");
    }
    CHECK(f.Call("DELETE", "/api/v1/session", "dsr_session=" + f.session).status == 403);
    CHECK(f.handled == before);  // no handler ran
    CHECK(f.Call("POST", "/api/v1/requests", "dsr_session=" + f.session, "1").status == 200);
    CHECK(f.handled == before + 1);
  }

  TEST_CASE("only a session token counts in the cookie") {
    Fixture f;
    const auto token = f.Call("GET", "/api/v1/requests", "dsr_session=" + f.api_token);
    CHECK(token.status == 401);
    CHECK(token.body.at("error").at("code") == "unauthenticated");
    CHECK(f.Call("GET", "/api/v1/requests", "dsr_session=something").status == 401);
    CHECK(f.Call("GET", "/api/v1/requests", "dsr_session=dsrs_" + std::string(43, 'A')).status ==
          401);
    CHECK(f.Call("GET", "/api/v1/requests", "other=" + f.session).status == 401);
    CHECK(f.handled == 0);
  }

  TEST_CASE("the Authorization header decides when present, and needs no CSRF header") {
    Fixture f;
    const auto bearer =
        f.Call("POST", "/api/v1/requests", "dsr_session=garbage", "", "Bearer " + f.api_token);
    REQUIRE(bearer.status == 200);
    CHECK(bearer.body.at("via_cookie") == false);
    // A wrong header is not rescued by a good cookie.
    CHECK(f.Call("GET", "/api/v1/requests", "dsr_session=" + f.session, "", "Bearer dsr_nope")
              .status == 401);
    // Public routes ignore the cookie and need no header.
    CHECK(f.Call("POST", "/login", "dsr_session=" + f.api_token).status == 200);
  }

  TEST_CASE("an ended session in the cookie is refused") {
    Fixture f;
    REQUIRE(f.accounts.Logout("Bearer " + f.session).ok());
    CHECK(f.Call("GET", "/api/v1/requests", "dsr_session=" + f.session).status == 401);
  }
}

}  // namespace dsr::api
