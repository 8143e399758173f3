// End-to-end: who may call what. The real coordinator with one test user and
// API token per role (Cluster makes them with dsrctl on the store). Every
// route of the coordinator's table is called without credentials (401), with
// an invalid token (401), with every role it does not allow (403) and with
// every role it allows (a valid call that succeeds). The test's own list must
// match the table the coordinator serves, so a route added without being
// listed here fails it.
#include <doctest/doctest.h>

#include <cstdlib>
#include <functional>
#include <map>
#include <set>

#include "tests/e2e/cluster.h"
#include "tests/e2e/http_answer.h"

namespace dsr::testing {
namespace {

// One concrete call of a route: its path, body and, when the route needs
// other credentials than the role's API token, that bearer token.
struct Call {
  std::string path;
  std::string body;
  std::string token;
};

struct RouteCase {
  std::string method;
  std::string pattern;
  std::set<std::string> roles;  // empty: public
  // A valid call for a user of `role`, with a fresh target where the call changes it.
  std::function<Call(const std::string& role)> make;
  // The status a valid call gets; 0 for any 2xx.
  int expected = 0;
};

const std::set<std::string> kCaseWork = {"agent", "dpo"};
const std::set<std::string> kCaseMetadata = {"agent", "dpo", "auditor"};
const std::set<std::string> kDpo = {"dpo"};
const std::set<std::string> kAuditTrail = {"dpo", "auditor"};
const std::set<std::string> kSourceStatus = {"agent", "dpo", "admin"};
const std::set<std::string> kAdmin = {"admin"};
const std::set<std::string> kSignedIn = {"agent", "dpo", "admin", "auditor"};

// The requests the calls work on, made through the API as the DPO.
class Targets {
 public:
  Targets(const Cluster& cluster, std::vector<Sample> samples)
      : cluster_(cluster), samples_(std::move(samples)) {}

  // A new access request awaiting the identity check.
  std::string Fresh() {
    const auto created = cluster_.Submit(
        {{"type", "access"},
         {"subject", {{"email", "nobody-" + std::to_string(++made_) + "@example.org"}}}});
    REQUIRE(created.is_object());
    return created.at("id").get<std::string>();
  }
  std::string Paused() {
    const std::string id = Fresh();
    REQUIRE(cluster_.Act(id, "pause", {{"reason", "asked for a copy of the ID"}}).status == 200);
    return id;
  }
  // An access request waiting in review: of a sample customer, so that it
  // has records, or of someone the sources do not know.
  std::string InReview(bool with_records = false) {
    const std::string email =
        with_records ? NextSample().email : "unknown-" + std::to_string(++made_) + "@example.org";
    const auto created = cluster_.SubmitAccess({{"email", email}});
    REQUIRE(created.is_object());
    const std::string id = created.at("id").get<std::string>();
    REQUIRE(cluster_.WaitForStatus(id, "in_review").at("status") == "in_review");
    return id;
  }
  const std::string& Completed() {
    if (completed_.empty()) {
      completed_ = InReview();
      REQUIRE(cluster_.ReviewAndApprove(completed_).at("status") == "completed");
    }
    return completed_;
  }
  // A request with a letter (a refusal) or an extension notice, once written.
  const std::string& WithLetter() {
    if (rejected_.empty()) {
      rejected_ = Fresh();
      REQUIRE(cluster_
                  .Act(rejected_, "reject",
                       {{"ground", "manifestly_unfounded"}, {"reason", "the fifth in a week"}})
                  .status == 200);
      REQUIRE(WaitFor([&] {
        const auto view = nlohmann::json::parse(
            cluster_.Call("GET", "/api/v1/requests/" + rejected_).body, nullptr, false);
        return view.is_object() && view.value("status", "") == "rejected" &&
               !view.at("letter").is_null();
      }));
    }
    return rejected_;
  }
  const std::string& Extended() {
    if (extended_.empty()) {
      extended_ = Fresh();
      REQUIRE(cluster_.Act(extended_, "extend", {{"reason", "seven systems to search"}}).status ==
              200);
      REQUIRE(WaitFor([&] {
        return cluster_.Call("GET", "/api/v1/requests/" + extended_ + "/extension-letter").status ==
               200;
      }));
    }
    return extended_;
  }
  // The path of a fresh delivery link (no code) for the completed request.
  std::string DeliveryPath() {
    const auto made =
        cluster_.Call("POST", "/api/v1/requests/" + Completed() + "/delivery", "{}", "agent");
    REQUIRE(made.status == 201);
    const std::string url = Json(made).at("url").get<std::string>();
    REQUIRE(url.rfind(cluster_.url(), 0) == 0);
    return url.substr(cluster_.url().size());
  }
  // A user made by the admin over the API.
  std::string User() {
    const std::string name = "made-" + std::to_string(++made_);
    REQUIRE(cluster_
                .Call("POST", "/api/v1/users",
                      nlohmann::json{
                          {"name", name}, {"role", "agent"}, {"password", Cluster::password()}}
                          .dump(),
                      "admin")
                .status == 201);
    return name;
  }
  std::string TokenId() {
    const auto issued = cluster_.Call("POST", "/api/v1/users/" + User() + "/tokens", "{}", "admin");
    REQUIRE(issued.status == 201);
    return Json(issued).at("id").get<std::string>();
  }
  // A session token of the test user of `role`.
  std::string SessionOf(const std::string& role) {
    const auto login = cluster_.Call(
        "POST", "/api/v1/session",
        nlohmann::json{{"name", cluster_.user_of(role)}, {"password", Cluster::password()}}.dump(),
        "");
    REQUIRE(login.status == 201);
    return Json(login).at("token").get<std::string>();
  }

 private:
  const Sample& NextSample() {
    REQUIRE(next_sample_ < samples_.size());
    return samples_[next_sample_++];
  }

  const Cluster& cluster_;
  std::vector<Sample> samples_;
  size_t next_sample_ = 0;
  int made_ = 0;
  std::string completed_, rejected_, extended_;
};

std::vector<RouteCase> AllRoutes(Cluster& cluster, Targets& t) {
  const std::string requests = "/api/v1/requests/";
  auto get = [](std::string path) {
    return [path](const std::string&) { return Call{path, "", ""}; };
  };
  auto on = [requests](std::function<std::string()> target, std::string tail, nlohmann::json body) {
    return [=](const std::string&) {
      return Call{requests + target() + tail, body.is_null() ? "" : body.dump(), ""};
    };
  };
  const auto fresh = [&t] { return t.Fresh(); };
  const auto in_review = [&t] { return t.InReview(); };
  return {
      {"GET", "/healthz", {}, get("/healthz")},
      {"POST", "/api/v1/requests", kCaseWork,
       [](const std::string& role) {
         return Call{"/api/v1/requests",
                     nlohmann::json{{"type", "access"},
                                    {"subject", {{"email", role + "-files@example.org"}}}}
                         .dump(),
                     ""};
       }},
      {"GET", "/api/v1/requests", kCaseMetadata, get("/api/v1/requests")},
      {"GET", "/api/v1/requests/{id}", kCaseMetadata, on(fresh, "", nullptr)},
      {"GET", "/api/v1/requests/{id}/bundle", kCaseWork,
       on([&t] { return t.Completed(); }, "/bundle", nullptr)},
      {"GET", "/api/v1/sources", kSourceStatus, get("/api/v1/sources")},
      {"POST", "/api/v1/requests/{id}/delivery", kCaseWork,
       on([&t] { return t.Completed(); }, "/delivery", {{"expires_in_days", 1}}), 201},
      // The data subject's pages: the token in the path is the credential.
      {"GET",
       "/delivery/{token}",
       {},
       [&t](const std::string&) {
         return Call{t.DeliveryPath(), "", ""};
       }},
      {"GET",
       "/delivery/{token}/bundle",
       {},
       [&t](const std::string&) {
         return Call{t.DeliveryPath() + "/bundle", "", ""};
       }},
      {"POST",
       "/delivery/{token}/bundle",
       {},
       [&t](const std::string&) {
         return Call{t.DeliveryPath() + "/bundle", "", ""};
       }},
      {"POST", "/api/v1/requests/{id}/identity", kCaseWork,
       on(fresh, "/identity", {{"method", "email_reply"}, {"outcome", "confirmed"}})},
      {"POST", "/api/v1/requests/{id}/pause", kCaseWork,
       on(fresh, "/pause", {{"reason", "asked for more"}})},
      {"POST", "/api/v1/requests/{id}/resume", kCaseWork,
       on([&t] { return t.Paused(); }, "/resume", nlohmann::json::object())},
      {"POST", "/api/v1/requests/{id}/extend", kDpo,
       on(fresh, "/extend", {{"reason", "many systems"}})},
      {"POST", "/api/v1/requests/{id}/redactions", kCaseWork,
       [&cluster, &t, requests](const std::string&) {
         const std::string id = t.InReview(/*with_records=*/true);
         const auto records = cluster.Records(id);
         REQUIRE(!records.at("records").empty());
         const auto& first = records.at("records").at(0);
         return Call{requests + id + "/redactions",
                     nlohmann::json{{"task_id", first.at("task_id")},
                                    {"collection", first.at("collection")},
                                    {"line", first.at("line")},
                                    {"decision", "exclude"},
                                    {"reason", "a third party's data"}}
                         .dump(),
                     ""};
       }},
      {"POST", "/api/v1/requests/{id}/approve", kCaseWork,
       on(in_review, "/approve", nlohmann::json::object())},
      {"POST", "/api/v1/requests/{id}/reject", kDpo,
       on(fresh, "/reject", {{"ground", "excessive"}, {"reason", "the tenth this month"}})},
      {"POST", "/api/v1/requests/{id}/cancel", kCaseWork,
       on(fresh, "/cancel", {{"reason", "withdrawn by the subject"}})},
      // A retry is refused unless the task failed: the router let the call
      // through and the handler judged it (409), which is what is checked.
      {"POST", "/api/v1/requests/{id}/tasks/{task_id}/retry", kCaseWork,
       [&cluster, requests](const std::string&) {
         const std::string id =
             cluster.SubmitAccess({{"email", "retry@example.org"}}).at("id").get<std::string>();
         const auto view = cluster.WaitForStatus(id, "in_review");
         return Call{requests + id + "/tasks/" +
                         view.at("tasks").at(0).at("id").get<std::string>() + "/retry",
                     "", ""};
       },
       409},
      {"GET", "/api/v1/requests/{id}/records", kCaseWork,
       on([&t] { return t.Completed(); }, "/records", nullptr)},
      {"GET", "/api/v1/requests/{id}/events", kAuditTrail, on(fresh, "/events", nullptr)},
      {"GET", "/api/v1/requests/{id}/letter", kCaseWork,
       on([&t] { return t.WithLetter(); }, "/letter", nullptr)},
      {"GET", "/api/v1/requests/{id}/extension-letter", kCaseWork,
       on([&t] { return t.Extended(); }, "/extension-letter", nullptr)},
      {"GET", "/api/v1/holds", kCaseWork, get("/api/v1/holds")},
      {"GET", "/api/v1/notifications", kDpo, get("/api/v1/notifications")},
      {"GET", "/api/v1/record-of-processing", kDpo, get("/api/v1/record-of-processing")},
      {"POST", "/api/v1/record-of-processing/check", kDpo,
       [](const std::string&) {
         return Call{
             "/api/v1/record-of-processing/check",
             nlohmann::json{
                 {"source", "crm"},
                 {"places",
                  {{{"place", "customers.email"}, {"kinds", {"email"}}, {"occurrences", 3}}}}}
                 .dump(),
             ""};
       }},
      {"GET", "/api/v1/dashboard", kAuditTrail, get("/api/v1/dashboard")},
      {"GET", "/api/v1/account-events", kAuditTrail, get("/api/v1/account-events")},
      {"GET", "/api/v1/reports/requests.csv", kAuditTrail, get("/api/v1/reports/requests.csv")},
      {"GET", "/api/v1/reports/requests.html", kAuditTrail, get("/api/v1/reports/requests.html")},
      {"POST",
       "/api/v1/session",
       {},
       [&cluster](const std::string&) {
         return Call{
             "/api/v1/session",
             nlohmann::json{{"name", cluster.user_of("agent")}, {"password", Cluster::password()}}
                 .dump(),
             ""};
       }},
      {"GET", "/api/v1/session", kSignedIn, get("/api/v1/session")},
      {"DELETE", "/api/v1/session", kSignedIn,
       [&t](const std::string& role) {
         return Call{"/api/v1/session", "", t.SessionOf(role)};
       }},
      {"GET", "/api/v1/users", kAdmin, get("/api/v1/users")},
      {"POST", "/api/v1/users", kAdmin,
       [](const std::string&) {
         return Call{
             "/api/v1/users",
             nlohmann::json{
                 {"name", "new-auditor"}, {"role", "auditor"}, {"password", Cluster::password()}}
                 .dump(),
             ""};
       }},
      {"POST", "/api/v1/users/{name}/disable", kAdmin,
       [&t](const std::string&) {
         return Call{"/api/v1/users/" + t.User() + "/disable", "", ""};
       }},
      {"GET", "/api/v1/users/{name}/tokens", kAdmin,
       get("/api/v1/users/" + cluster.user_of("agent") + "/tokens")},
      {"POST", "/api/v1/users/{name}/tokens", kAdmin,
       [&t](const std::string&) {
         return Call{"/api/v1/users/" + t.User() + "/tokens",
                     R"({"label": "ci", "expires_days": 30})", ""};
       }},
      {"POST", "/api/v1/tokens/{id}/revoke", kAdmin,
       [&t](const std::string&) {
         return Call{"/api/v1/tokens/" + t.TokenId() + "/revoke", "", ""};
       }},
      {"GET", "/api/v1/routes", kSignedIn, get("/api/v1/routes")},
      // The web interface: its files need no login; the user's language and
      // the letter preview are for those signed in.
      {"GET", "/", {}, get("/")},
      {"GET", "/ui/{file}", {}, get("/ui/app.css")},
      {"PUT", "/api/v1/session/language", kSignedIn,
       [](const std::string&) {
         return Call{"/api/v1/session/language", R"({"language": "en"})", ""};
       }},
      {"GET", "/api/v1/requests/{id}/letter-preview", kCaseWork,
       on([&t] { return t.Completed(); }, "/letter-preview?lang=de", nullptr)},
  };
}

// The pattern with every {param} replaced by a value no route knows: the
// router must refuse before any handler could answer 404.
std::string Placeholder(const std::string& pattern) {
  std::string path;
  bool in_param = false;
  for (char c : pattern) {
    if (c == '{') in_param = true;
    if (!in_param) path.push_back(c);
    if (c == '}') {
      in_param = false;
      path += "no-such-thing";
    }
  }
  return path;
}

HttpAnswer Send(const Cluster& cluster, const std::string& method, const Call& call,
                const std::string& role) {
  if (!call.token.empty()) {
    return HttpCall(cluster.url(), method, call.path, call.body, "application/json",
                    cluster.ca_file(), {{"Authorization", "Bearer " + call.token}});
  }
  return cluster.Call(method, call.path, call.body, role);
}

}  // namespace

TEST_SUITE("EndToEnd") {
  TEST_CASE(
      "every route refuses callers without credentials or of a wrong role, and serves the "
      "right ones") {
    Cluster cluster;
    auto samples = ParseSamples(cluster.GenerateCrm(300));
    REQUIRE(samples.size() >= 4);
    REQUIRE(cluster.StartCoordinator());
    REQUIRE(cluster.StartWorker("crm-1"));
    Targets targets(cluster, samples);
    const auto cases = AllRoutes(cluster, targets);

    // The list above is the coordinator's table, access included.
    const auto served = cluster.Call("GET", "/api/v1/routes", "", "auditor");
    REQUIRE(served.status == 200);
    std::map<std::string, std::set<std::string>> table, listed;
    const auto served_table = Json(served);
    for (const auto& route : served_table.at("routes")) {
      const std::string key =
          route.at("method").get<std::string>() + " " + route.at("pattern").get<std::string>();
      CHECK_MESSAGE(table.count(key) == 0, key);
      table[key] = route.at("roles").get<std::set<std::string>>();
    }
    for (const auto& c : cases) listed[c.method + " " + c.pattern] = c.roles;
    for (const auto& [key, roles] : table) {
      CHECK_MESSAGE(listed.count(key) == 1, "route not walked by this test: " << key);
    }
    for (const auto& [key, roles] : listed) {
      REQUIRE_MESSAGE(table.count(key) == 1, "listed here but not served: " << key);
      CHECK_MESSAGE(table.at(key) == roles, "roles of " << key);
    }

    for (const auto& c : cases) {
      CAPTURE(c.method);
      CAPTURE(c.pattern);
      const std::string placeholder = Placeholder(c.pattern);
      if (!c.roles.empty()) {
        const auto anonymous = cluster.Call(c.method, placeholder, "", "");
        CHECK(anonymous.status == 401);
        CHECK(anonymous.headers.count("WWW-Authenticate") == 1);
        const auto forged =
            HttpCall(cluster.url(), c.method, placeholder, "", "application/json",
                     cluster.ca_file(), {{"Authorization", "Bearer dsr_" + std::string(43, 'A')}});
        CHECK(forged.status == 401);
        for (const auto& role : Cluster::Roles()) {
          if (c.roles.count(role) > 0) continue;
          CAPTURE(role);
          const auto refused = cluster.Call(c.method, placeholder, "{}", role);
          CHECK(refused.status == 403);
          CHECK(Json(refused).at("error").at("code") == "permission_denied");
        }
      }
      const std::set<std::string> callers = c.roles.empty() ? std::set<std::string>{""} : c.roles;
      for (const auto& role : callers) {
        CAPTURE(role);
        const Call call = c.make(role);
        const auto answer = Send(cluster, c.method, call, role);
        INFO(answer.body);
        if (c.expected == 0) {
          CHECK(answer.status >= 200);
          CHECK(answer.status < 300);
        } else {
          CHECK(answer.status == c.expected);
        }
      }
    }
  }

  TEST_CASE(
      "an agent may approve an ordinary answer, but one that keeps data under retention "
      "holds only the DPO") {
    Cluster cluster;
    const auto samples = ParseSamples(cluster.GenerateCrm(300));
    REQUIRE(cluster.StartCoordinator());
    REQUIRE(cluster.StartWorker("crm-1"));
    const Sample sample = SampleOfKind(samples, "typical");
    // The erasure keeps the customer's invoices (retention by law).
    const auto created = cluster.Call(
        "POST", "/api/v1/requests",
        nlohmann::json{{"type", "erasure"}, {"subject", {{"email", sample.email}}}}.dump(),
        "agent");
    REQUIRE(created.status == 201);
    const std::string id = Json(created).at("id").get<std::string>();
    REQUIRE(cluster
                .Call("POST", "/api/v1/requests/" + id + "/identity",
                      R"({"method": "email_reply", "outcome": "confirmed"})", "agent")
                .status == 200);
    REQUIRE(cluster.WaitForStatus(id, "in_review").at("status") == "in_review");
    REQUIRE(!Json(cluster.Call("GET", "/api/v1/holds?request_id=" + id, "", "agent"))
                 .at("holds")
                 .empty());

    const auto refused = cluster.Call("POST", "/api/v1/requests/" + id + "/approve", "{}", "agent");
    CHECK(refused.status == 403);
    CHECK(Json(refused).at("error").at("message").get<std::string>().find(
              "retention holds; approving it needs the dpo role") != std::string::npos);
    CHECK(cluster.Call("GET", "/api/v1/requests/" + id).body.find("\"in_review\"") !=
          std::string::npos);
    CHECK(cluster.Call("POST", "/api/v1/requests/" + id + "/approve", "{}", "dpo").status == 200);

    // The audit trail names who did what.
    std::map<std::string, std::string> actor_of;
    const auto events = Json(cluster.Call("GET", "/api/v1/requests/" + id + "/events"));
    INFO(events.dump());
    for (const auto& event : events.at("events")) {
      actor_of.emplace(event.at("kind").get<std::string>(), event.at("actor").get<std::string>());
    }
    CHECK(actor_of["request.received"] == "test-agent");
    CHECK(actor_of["identity.checked"] == "test-agent");
    CHECK(actor_of["request.approved"] == "test-dpo");
  }

  TEST_CASE("log in, who am I, log out; wrong passwords, disabled users and dsrctl's token") {
    Cluster cluster;
    REQUIRE(cluster.StartCoordinator());
    const auto login = [&](const std::string& name, const std::string& password) {
      return cluster.Call("POST", "/api/v1/session",
                          nlohmann::json{{"name", name}, {"password", password}}.dump(), "");
    };
    // An unknown user and a wrong password get the same answer.
    const auto unknown = login("nobody", Cluster::password());
    const auto wrong = login("test-agent", "not the password at all");
    CHECK(unknown.status == 401);
    CHECK(wrong.status == 401);
    CHECK(Json(unknown).at("error") == Json(wrong).at("error"));

    const auto session = login("test-auditor", Cluster::password());
    REQUIRE(session.status == 201);
    const std::string token = Json(session).at("token").get<std::string>();
    CHECK(token.rfind("dsrs_", 0) == 0);
    const auto as_session = [&](const std::string& method, const std::string& path) {
      return HttpCall(cluster.url(), method, path, "", "application/json", cluster.ca_file(),
                      {{"Authorization", "Bearer " + token}});
    };
    const auto me = as_session("GET", "/api/v1/session");
    REQUIRE(me.status == 200);
    CHECK(Json(me).at("name") == "test-auditor");
    CHECK(Json(me).at("role") == "auditor");
    CHECK(Json(me).at("via") == "session");
    CHECK(Json(me).at("expires_at") == Json(session).at("expires_at"));
    CHECK(as_session("GET", "/api/v1/dashboard").status == 200);
    CHECK(as_session("GET", "/api/v1/holds").status == 403);
    CHECK(as_session("DELETE", "/api/v1/session").status == 200);
    CHECK(as_session("GET", "/api/v1/session").status == 401);

    // dsrctl sends $DSR_TOKEN or --token-file; without either the coordinator refuses.
    const std::string out = cluster.dir().File("dsrctl.out");
    const std::string list =
        BinDir() + "/dsrctl list --url " + cluster.url() + " --ca-file " + cluster.ca_file();
    CHECK(std::system((list + " > " + out + " 2>&1").c_str()) != 0);
    CHECK(ReadFile(out).find("unauthenticated") != std::string::npos);
    CHECK(
        std::system(("DSR_TOKEN=" + cluster.token_of("agent") + " " + list + " > " + out + " 2>&1")
                        .c_str()) == 0);
    CHECK(std::system(
              (list + " --token-file " + cluster.token_file("auditor") + " > " + out + " 2>&1")
                  .c_str()) == 0);

    // A disabled user's token stops working at once; so does a revoked token.
    CHECK(cluster.Call("GET", "/api/v1/requests", "", "agent").status == 200);
    CHECK(std::system((BinDir() + "/dsrctl user disable --store '" + cluster.store_url() +
                       "' --name test-agent > " + out + " 2>&1")
                          .c_str()) == 0);
    CHECK(cluster.Call("GET", "/api/v1/requests", "", "agent").status == 401);
    const auto tokens = Json(cluster.Call("GET", "/api/v1/users/test-auditor/tokens", "", "admin"));
    REQUIRE(tokens.at("tokens").size() == 1);
    CHECK(tokens.at("tokens").at(0).count("token") == 0);  // never shown again
    const std::string token_id = tokens.at("tokens").at(0).at("id").get<std::string>();
    CHECK(cluster.Call("POST", "/api/v1/tokens/" + token_id + "/revoke", "", "admin").status ==
          200);
    CHECK(cluster.Call("GET", "/api/v1/requests", "", "auditor").status == 401);

    // Both changes are in the audit trail, by who made them; the chain holds.
    const auto changes = cluster.Call("GET", "/api/v1/account-events?limit=2", "", "dpo");
    REQUIRE(changes.status == 200);
    const auto events = Json(changes).at("events");
    REQUIRE(events.size() == 2);
    CHECK(events.at(0).at("kind") == "token.revoked");
    CHECK(events.at(0).at("actor") == "test-admin");
    CHECK(events.at(0).at("details").at("token_id") == token_id);
    CHECK(events.at(1).at("kind") == "user.disabled");
    CHECK(events.at(1).at("actor") == "dsrctl");
    CHECK(events.at(1).at("details").at("user") == "test-agent");
    CHECK(cluster.Call("GET", "/api/v1/account-events?limit=0", "", "dpo").status == 400);
    CHECK(std::system((BinDir() + "/dsrctl audit verify --store '" + cluster.store_url() + "' > " +
                       out + " 2>&1")
                          .c_str()) == 0);
  }
}

}  // namespace dsr::testing
