// End-to-end: what the coordinator does for the web interface, on the real
// coordinator over HTTPS. It serves the files of ui/ without login under a
// strict Content-Security-Policy; a browser signs in and is then known by
// the session cookie, needs the header X-DSR-CSRF: 1 for anything that
// changes something, and signs out by cookie; each user keeps a language;
// and the letter preview shows the answer as it would go out now.
#include <doctest/doctest.h>

#include <cstdlib>

#include "common/digest.h"
#include "tests/e2e/cluster.h"
#include "tests/e2e/http_answer.h"

namespace dsr::testing {
namespace {

constexpr const char* kUiPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'";
constexpr const char* kFramedPolicy =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'";

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A call as a browser makes it: no Authorization header; the cookie it
// holds (if any) and, when `csrf`, the header the page adds to changes.
HttpAnswer Browser(const Cluster& cluster, const std::string& method, const std::string& path,
                   const std::string& cookie, const std::string& body = "", bool csrf = false) {
  std::map<std::string, std::string> headers;
  if (!cookie.empty()) headers["Cookie"] = "theme=dark; dsr_session=" + cookie;
  if (csrf) headers["X-DSR-CSRF"] = "1";
  return HttpCall(cluster.url(), method, path, body, "application/json", cluster.ca_file(),
                  headers);
}

// The session cookie's value and its attributes from a Set-Cookie header.
struct SetCookie {
  std::string value;
  std::set<std::string> attributes;  // "HttpOnly", "Max-Age=60" …
};

SetCookie ParseSetCookie(const std::string& header) {
  SetCookie cookie;
  size_t start = 0;
  bool first = true;
  while (start <= header.size()) {
    size_t end = header.find(';', start);
    if (end == std::string::npos) end = header.size();
    std::string part = header.substr(start, end - start);
    part.erase(0, part.find_first_not_of(' '));
    if (first) {
      REQUIRE(part.rfind("dsr_session=", 0) == 0);
      cookie.value = part.substr(std::string("dsr_session=").size());
      first = false;
    } else if (!part.empty()) {
      cookie.attributes.insert(part);
    }
    start = end + 1;
  }
  return cookie;
}

int MaxAgeOf(const SetCookie& cookie) {
  for (const auto& attribute : cookie.attributes) {
    if (attribute.rfind("Max-Age=", 0) == 0) return std::atoi(attribute.c_str() + 8);
  }
  return -1;
}

size_t RequestCount(const Cluster& cluster) {
  const auto list = cluster.Call("GET", "/api/v1/requests?limit=1000");
  REQUIRE(list.status == 200);
  return Json(list).at("requests").size();
}

}  // namespace

TEST_SUITE("EndToEnd") {
  TEST_CASE("the web interface's files are served without login, byte for byte, under a CSP") {
    Cluster cluster;
    REQUIRE(cluster.StartCoordinator());

    const auto index = Browser(cluster, "GET", "/", "");
    REQUIRE(index.status == 200);
    CHECK(index.body == ReadFile(SourceDir() + "/ui/index.html"));
    CHECK(Header(index, "Content-Type") == "text/html; charset=utf-8");
    CHECK(Header(index, "Content-Security-Policy") == kUiPolicy);
    CHECK(Header(index, "Referrer-Policy") == "no-referrer");
    CHECK(Header(index, "X-Content-Type-Options") == "nosniff");

    const auto css = Browser(cluster, "GET", "/ui/app.css", "");
    REQUIRE(css.status == 200);
    CHECK(css.body == ReadFile(SourceDir() + "/ui/app.css"));
    CHECK(Header(css, "Content-Type") == "text/css; charset=utf-8");
    CHECK(Header(css, "Content-Security-Policy") == kUiPolicy);

    const auto js = Browser(cluster, "GET", "/ui/app.js", "");
    REQUIRE(js.status == 200);
    CHECK(js.body == ReadFile(SourceDir() + "/ui/app.js"));
    CHECK(Header(js, "Content-Type") == "text/javascript; charset=utf-8");

    for (const char* unknown : {"/ui/no-such-file.js", "/ui/index.htm", "/ui/"}) {
      CAPTURE(unknown);
      const auto missing = Browser(cluster, "GET", unknown, "");
      CHECK(missing.status == 404);
      CHECK(Json(missing).at("error").at("code") == "not_found");
    }
    // The files are only read.
    CHECK(Browser(cluster, "POST", "/ui/app.css", "", "{}").status == 405);

    // A browser keeps its copy and asks again each time: a 304 without the
    // file while it is unchanged, the file for any other entity tag.
    const std::string tag = Header(css, "ETag");
    CHECK(tag == "\"" + Sha256Hex(css.body).substr(0, 32) + "\"");
    CHECK(Header(css, "Cache-Control") == "no-cache");
    const auto unchanged = HttpCall(cluster.url(), "GET", "/ui/app.css", "", "", cluster.ca_file(),
                                    {{"If-None-Match", tag}});
    CHECK(unchanged.status == 304);
    CHECK(unchanged.body.empty());
    CHECK(Header(unchanged, "ETag") == tag);
    const auto changed = HttpCall(cluster.url(), "GET", "/ui/app.css", "", "", cluster.ca_file(),
                                  {{"If-None-Match", "\"an older copy\""}});
    CHECK(changed.status == 200);
    CHECK(changed.body == css.body);
  }

  TEST_CASE("a browser signs in by cookie, needs the CSRF header for changes, and signs out") {
    Cluster cluster;
    REQUIRE(cluster.StartCoordinator(
        {"crm"}, [](nlohmann::json& config) { config["auth"]["session_minutes"] = 120; }));

    // Signing in sets the cookie; the body stays as it was.
    const auto login = Browser(
        cluster, "POST", "/api/v1/session", "",
        nlohmann::json{{"name", cluster.user_of("agent")}, {"password", Cluster::password()}}
            .dump());
    REQUIRE(login.status == 201);
    const auto session = Json(login);
    const SetCookie cookie = ParseSetCookie(Header(login, "Set-Cookie"));
    CHECK(cookie.value == session.at("token"));
    CHECK(cookie.value.rfind("dsrs_", 0) == 0);
    CHECK(cookie.attributes.count("HttpOnly") == 1);
    CHECK(cookie.attributes.count("SameSite=Strict") == 1);
    CHECK(cookie.attributes.count("Path=/") == 1);
    CHECK(cookie.attributes.count("Secure") == 1);  // the cluster serves over TLS
    CHECK(MaxAgeOf(cookie) <= 120 * 60);
    CHECK(MaxAgeOf(cookie) > 120 * 60 - 60);
    // A wrong password sets nothing.
    const auto wrong =
        Browser(cluster, "POST", "/api/v1/session", "",
                nlohmann::json{{"name", cluster.user_of("agent")}, {"password", "not the password"}}
                    .dump());
    CHECK(wrong.status == 401);
    CHECK(wrong.headers.count("Set-Cookie") == 0);

    // The cookie alone authenticates a read.
    const auto me = Browser(cluster, "GET", "/api/v1/session", cookie.value);
    REQUIRE(me.status == 200);
    CHECK(Json(me).at("name") == cluster.user_of("agent"));
    CHECK(Json(me).at("via") == "session");
    CHECK(Json(me).at("language").is_null());
    CHECK(Browser(cluster, "GET", "/api/v1/requests", cookie.value).status == 200);

    // A change by cookie without the header is refused before anything runs.
    const std::string filing =
        nlohmann::json{{"type", "access"}, {"subject", {{"email", "browser@example.org"}}}}.dump();
    const size_t before = RequestCount(cluster);
    const auto forged = Browser(cluster, "POST", "/api/v1/requests", cookie.value, filing);
    CHECK(forged.status == 403);
    CHECK(Json(forged).at("error").at("code") == "csrf_header_missing");
    CHECK(RequestCount(cluster) == before);
    {
      std::map<std::string, std::string> headers = {{"Cookie", "dsr_session=" + cookie.value},
                                                    {"X-DSR-CSRF", "yes"}};
      const auto other_value = HttpCall(cluster.url(), "POST", "/api/v1/requests", filing,
                                        "application/json", cluster.ca_file(), headers);
      CHECK(other_value.status == 403);
      CHECK(RequestCount(cluster) == before);
    }
    const auto filed = Browser(cluster, "POST", "/api/v1/requests", cookie.value, filing, true);
    REQUIRE(filed.status == 201);
    CHECK(RequestCount(cluster) == before + 1);
    // The events name the user behind the cookie.
    const auto events = Json(cluster.Call(
        "GET", "/api/v1/requests/" + Json(filed).at("id").get<std::string>() + "/events"));
    CHECK(events.at("events").at(0).at("actor") == cluster.user_of("agent"));

    // Only a session counts in the cookie: an API token there is refused,
    // however valid it is as a bearer token.
    const auto token_in_cookie =
        Browser(cluster, "GET", "/api/v1/session", cluster.token_of("agent"));
    CHECK(token_in_cookie.status == 401);
    CHECK(Json(token_in_cookie).at("error").at("code") == "unauthenticated");
    CHECK(Browser(cluster, "GET", "/api/v1/session", "dsrs_" + std::string(43, 'A')).status == 401);
    // Bearer callers are as before: the header decides, and needs no CSRF header.
    {
      std::map<std::string, std::string> headers = {
          {"Authorization", "Bearer " + cluster.token_of("dpo")},
          {"Cookie", "dsr_session=" + cookie.value}};
      const auto bearer = HttpCall(cluster.url(), "GET", "/api/v1/session", "", "application/json",
                                   cluster.ca_file(), headers);
      REQUIRE(bearer.status == 200);
      CHECK(Json(bearer).at("name") == cluster.user_of("dpo"));
      CHECK(cluster.Call("POST", "/api/v1/requests", filing, "agent").status == 201);
    }

    // The user's language: none until chosen, then kept per user.
    const auto chose = Browser(cluster, "PUT", "/api/v1/session/language", cookie.value,
                               R"({"language": "de"})", true);
    REQUIRE(chose.status == 200);
    CHECK(Json(chose).at("language") == "de");
    CHECK(Json(Browser(cluster, "GET", "/api/v1/session", cookie.value)).at("language") == "de");
    for (const char* bad : {R"({"language": "fr"})", R"({"language": "DE"})", R"({})",
                            R"({"language": "en", "also": 1})", R"({"language": null})"}) {
      CAPTURE(bad);
      const auto refused =
          Browser(cluster, "PUT", "/api/v1/session/language", cookie.value, bad, true);
      CHECK(refused.status == 422);
    }
    CHECK(Browser(cluster, "PUT", "/api/v1/session/language", cookie.value, "de", true).status ==
          400);
    CHECK(Browser(cluster, "PUT", "/api/v1/session/language", cookie.value, R"({"language": "en"})")
              .status == 403);
    CHECK(Json(Browser(cluster, "GET", "/api/v1/session", cookie.value)).at("language") == "de");
    // Another user (by API token) chooses apart.
    CHECK(Json(cluster.Call("GET", "/api/v1/session", "", "dpo")).at("language").is_null());
    CHECK(cluster.Call("PUT", "/api/v1/session/language", R"({"language": "en"})", "dpo").status ==
          200);
    CHECK(Json(cluster.Call("GET", "/api/v1/session", "", "dpo")).at("language") == "en");
    CHECK(Json(Browser(cluster, "GET", "/api/v1/session", cookie.value)).at("language") == "de");

    // Signing out by cookie needs the header too, ends the session and clears the cookie.
    CHECK(Browser(cluster, "DELETE", "/api/v1/session", cookie.value).status == 403);
    CHECK(Browser(cluster, "GET", "/api/v1/session", cookie.value).status == 200);
    const auto logout = Browser(cluster, "DELETE", "/api/v1/session", cookie.value, "", true);
    REQUIRE(logout.status == 200);
    const SetCookie cleared = ParseSetCookie(Header(logout, "Set-Cookie"));
    CHECK(cleared.value.empty());
    CHECK(MaxAgeOf(cleared) == 0);
    CHECK(cleared.attributes.count("HttpOnly") == 1);
    CHECK(cleared.attributes.count("Path=/") == 1);
    const auto after = Browser(cluster, "GET", "/api/v1/session", cookie.value);
    CHECK(after.status == 401);
    CHECK(Browser(cluster, "POST", "/api/v1/requests", cookie.value, filing, true).status == 401);
  }

  TEST_CASE("the letter preview shows the answer as it would go out now, in German or English") {
    Cluster cluster;
    const auto samples = ParseSamples(cluster.GenerateCrm(300));
    REQUIRE(cluster.StartCoordinator());
    const auto preview = [&](const std::string& id, const std::string& query) {
      return cluster.Call("GET", "/api/v1/requests/" + id + "/letter-preview" + query, "", "agent");
    };

    // Nothing honest to show before the identity is checked, nor while the
    // sources are searched (no worker runs yet, so the task waits).
    const auto fresh =
        cluster.Submit({{"type", "access"}, {"subject", {{"email", "fresh@example.org"}}}});
    REQUIRE(fresh.is_object());
    const auto unchecked = preview(fresh.at("id").get<std::string>(), "");
    CHECK(unchecked.status == 409);
    CHECK(Contains(Json(unchecked).at("error").at("message"), "identity is not checked"));
    const auto created = cluster.SubmitAccess({{"email", SampleOfKind(samples, "typical").email}});
    REQUIRE(created.is_object());
    const std::string id = created.at("id").get<std::string>();
    const auto running = preview(id, "?lang=en");
    CHECK(running.status == 409);
    CHECK(Contains(Json(running).at("error").at("message"), "still running"));
    CHECK(preview("no-such-request", "").status == 404);

    REQUIRE(cluster.StartWorker("crm-1"));
    REQUIRE(cluster.WaitForStatus(id, "in_review").at("status") == "in_review");
    const size_t events_before =
        Json(cluster.Call("GET", "/api/v1/requests/" + id + "/events")).at("events").size();

    const auto german = preview(id, "?lang=de");
    const auto english = preview(id, "?lang=en");
    REQUIRE(german.status == 200);
    REQUIRE(english.status == 200);
    CHECK(Header(german, "Content-Type") == "text/html; charset=utf-8");
    CHECK(Header(german, "Content-Security-Policy") == kFramedPolicy);
    CHECK(Header(english, "Content-Security-Policy") == kFramedPolicy);
    CHECK(Contains(german.body, "Auskunft über Ihre personenbezogenen Daten"));
    CHECK_FALSE(Contains(german.body, "The personal data we hold about you"));
    CHECK(Contains(english.body, "The personal data we hold about you"));
    CHECK_FALSE(Contains(english.body, "Auskunft über Ihre personenbezogenen Daten"));
    CHECK(Contains(english.body, id));
    // Without lang: the request's own language.
    const std::string own = created.at("language").get<std::string>();
    CHECK(preview(id, "").body == (own == "de" ? german.body : english.body));
    CHECK(preview(id, "?lang=fr").status == 400);
    CHECK_FALSE(Contains(english.body, "What we left out, and why"));

    // Review's decisions show at once: a record left out is named.
    const auto records = cluster.Records(id);
    REQUIRE(!records.at("records").empty());
    const auto& first = records.at("records").at(0);
    REQUIRE(cluster
                .Act(id, "redactions",
                     {{"task_id", first.at("task_id")},
                      {"collection", first.at("collection")},
                      {"line", first.at("line")},
                      {"decision", "exclude"},
                      {"reason", "a third party's data"}})
                .status == 200);
    const auto after_review = preview(id, "?lang=en");
    REQUIRE(after_review.status == 200);
    CHECK(Contains(after_review.body, "What we left out, and why"));

    // Previewing wrote nothing: no event beyond the decision, no letter, same state.
    const auto events =
        Json(cluster.Call("GET", "/api/v1/requests/" + id + "/events")).at("events");
    CHECK(events.size() == events_before + 1);
    CHECK(cluster.Call("GET", "/api/v1/requests/" + id + "/letter").status == 409);
    CHECK(Json(cluster.Call("GET", "/api/v1/requests/" + id)).at("status") == "in_review");

    // A rejected request previews its rejection; a cancelled one has none.
    const std::string refused = fresh.at("id").get<std::string>();
    REQUIRE(
        cluster
            .Act(refused, "reject", {{"ground", "excessive"}, {"reason", "the tenth this month"}})
            .status == 200);
    const auto rejection = preview(refused, "?lang=en");
    REQUIRE(rejection.status == 200);
    CHECK(Contains(rejection.body, "We cannot comply with your request"));
    CHECK(Contains(preview(refused, "?lang=de").body, "Wir können Ihrem Antrag nicht nachkommen"));
    const auto withdrawn =
        cluster.Submit({{"type", "access"}, {"subject", {{"email", "withdrawn@example.org"}}}});
    REQUIRE(withdrawn.is_object());
    const std::string cancelled = withdrawn.at("id").get<std::string>();
    REQUIRE(cluster.Act(cancelled, "cancel", {{"reason", "withdrawn by the subject"}}).status ==
            200);
    CHECK(preview(cancelled, "").status == 409);

    // An erasure previews what was done so far.
    const auto erasure = cluster.Call(
        "POST", "/api/v1/requests",
        nlohmann::json{{"type", "erasure"}, {"subject", {{"email", samples.at(1).email}}}}.dump(),
        "agent");
    REQUIRE(erasure.status == 201);
    const std::string erasure_id = Json(erasure).at("id").get<std::string>();
    cluster.ConfirmIdentity(erasure_id);
    REQUIRE(cluster.WaitForStatus(erasure_id, "in_review").at("status") == "in_review");
    const auto erased = preview(erasure_id, "?lang=en");
    REQUIRE(erased.status == 200);
    CHECK(Contains(erased.body, "We have erased your data"));
  }
}

}  // namespace dsr::testing
