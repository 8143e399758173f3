// Accounts on a real SQLite store with a ManualClock: logging in, sessions
// that expire (absolute and idle), tokens that expire or are revoked,
// disabled users, and the slowing down of repeated failed logins.
#include "coordinator/auth/accounts.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "coordinator/auth/credentials.h"
#include "tests/support/temp_dir.h"

namespace dsr::auth {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

constexpr const char* kPassword = "correct horse battery staple";

struct Fixture {
  testing::TempDir dir;
  std::unique_ptr<store::Store> store =
      std::move(store::Store::Open("sqlite3://db=" + dir.File("dsr.db"), 2).value());
  ManualClock clock{Clock::WallTime(std::chrono::hours(24 * 20000))};
  Accounts accounts{*store, clock, AuthSettings{minutes(60), minutes(10)}};

  Fixture() {
    REQUIRE(accounts.CreateUser("anna", Role::kAgent, kPassword).ok());
    REQUIRE(accounts.CreateUser("dora", Role::kDpo, kPassword).ok());
  }
  Result<Principal> As(const std::string& token) const {
    return accounts.Authenticate("Bearer " + token);
  }
  std::string LogIn(const std::string& name) {
    auto session = accounts.Login(name, kPassword);
    REQUIRE(session.ok());
    return session->token;
  }
};

StatusCode CodeOf(const Result<Principal>& result) {
  return result.status().code();
}

}  // namespace

TEST_SUITE("Accounts") {
  TEST_CASE("changes to users and tokens are audit events by their actor, never with secrets") {
    Fixture f;
    REQUIRE(f.accounts.CreateUser("eve", Role::kAuditor, kPassword, "root-admin").ok());
    auto issued = f.accounts.IssueToken("eve", std::string("report script"), 30, "root-admin");
    REQUIRE(issued.ok());
    REQUIRE(f.accounts.RevokeToken(issued->record.id, "dsrctl").ok());
    REQUIRE(f.accounts.DisableUser("eve", "root-admin").ok());

    auto events = f.store->AccountEvents(10);
    REQUIRE(events.ok());
    // Newest first; the fixture's two users were made by the system.
    REQUIRE(events->size() == 6);
    const auto& e = *events;
    CHECK(e[0].kind == "user.disabled");
    CHECK(e[0].actor == "root-admin");
    CHECK(nlohmann::json::parse(e[0].details) == nlohmann::json{{"user", "eve"}});
    CHECK(e[1].kind == "token.revoked");
    CHECK(e[1].actor == "dsrctl");
    CHECK(nlohmann::json::parse(e[1].details).at("token_id") == issued->record.id);
    CHECK(e[2].kind == "token.issued");
    CHECK(nlohmann::json::parse(e[2].details).at("user") == "eve");
    CHECK(nlohmann::json::parse(e[2].details).at("expires_at") == *issued->record.expires_at);
    CHECK(e[3].kind == "user.created");
    CHECK(nlohmann::json::parse(e[3].details) ==
          nlohmann::json{{"user", "eve"}, {"role", "auditor"}});
    CHECK(e[4].actor == "system");
    for (const auto& event : e) {
      CHECK_FALSE(event.request_id.has_value());
      CHECK(event.details.find(kPassword) == std::string::npos);
      CHECK(event.details.find(issued->token) == std::string::npos);
    }
    CHECK(f.store->AccountEvents(2).value().size() == 2);
    CHECK(store::VerifyAuditChain(*f.store).ok());
  }

  TEST_CASE("a change that fails writes no audit event") {
    Fixture f;
    const size_t before = f.store->AccountEvents(100).value().size();
    CHECK_FALSE(f.accounts.CreateUser("anna", Role::kAgent, kPassword, "root-admin").ok());
    CHECK_FALSE(f.accounts.DisableUser("nobody", "root-admin").ok());
    CHECK_FALSE(f.accounts.RevokeToken("tok-unknown", "root-admin").ok());
    CHECK(f.store->AccountEvents(100).value().size() == before);
  }

  TEST_CASE("a login gives a session token that says who is calling") {
    Fixture f;
    auto session = f.accounts.Login("anna", kPassword);
    REQUIRE(session.ok());
    CHECK(IsWellFormedToken(session->token, kSessionTokenPrefix));
    CHECK(session->role == Role::kAgent);
    CHECK(session->expires_at == FormatUtc(f.clock.Now() + minutes(60)));
    const auto me = f.As(session->token);
    REQUIRE(me.ok());
    CHECK(me->name == "anna");
    CHECK(me->role == Role::kAgent);
    CHECK(me->via_session);
    CHECK(me->expires_at == session->expires_at);
    // The store keeps only the token's hash.
    CHECK(f.store->GetSessionByHash(TokenDigest(session->token)).ok());
    CHECK_FALSE(f.store->GetSessionByHash(session->token).ok());
  }

  TEST_CASE("a session ends after its lifetime even when in use") {
    Fixture f;
    const std::string token = f.LogIn("anna");
    for (int i = 0; i < 11; ++i) {
      f.clock.Advance(minutes(5));
      CHECK(f.As(token).ok());  // 55 minutes, used every 5
    }
    f.clock.Advance(minutes(5));  // 60 minutes
    CHECK(CodeOf(f.As(token)) == StatusCode::kUnauthenticated);
    CHECK(f.As(token).status().message().find("expired") != std::string::npos);
  }

  TEST_CASE("a session ends when unused for the idle time-out") {
    Fixture f;
    const std::string token = f.LogIn("anna");
    f.clock.Advance(minutes(9));
    CHECK(f.As(token).ok());  // use renews it
    f.clock.Advance(minutes(9) + seconds(59));
    CHECK(f.As(token).ok());
    f.clock.Advance(minutes(10));
    CHECK(CodeOf(f.As(token)) == StatusCode::kUnauthenticated);
    // An expired session stays expired, and its row is gone.
    f.clock.Advance(seconds(1));
    CHECK(CodeOf(f.As(token)) == StatusCode::kUnauthenticated);
    CHECK(f.store->GetSessionByHash(TokenDigest(token)).status().code() == StatusCode::kNotFound);
  }

  TEST_CASE("logging out ends the session") {
    Fixture f;
    const std::string token = f.LogIn("anna");
    const std::string other = f.LogIn("anna");
    CHECK(f.accounts.Logout("Bearer " + token).ok());
    CHECK(CodeOf(f.As(token)) == StatusCode::kUnauthenticated);
    CHECK(f.As(other).ok());
    CHECK(f.accounts.Logout("Bearer " + token).ok());  // again: nothing to end
  }

  TEST_CASE("an unknown user, a wrong password and a disabled user get the same answer") {
    Fixture f;
    REQUIRE(f.accounts.CreateUser("gone", Role::kAgent, kPassword).ok());
    REQUIRE(f.accounts.DisableUser("gone").ok());
    const auto unknown = f.accounts.Login("nobody", kPassword);
    const auto wrong = f.accounts.Login("anna", "not the password");
    const auto disabled = f.accounts.Login("gone", kPassword);
    for (const auto* result : {&unknown, &wrong, &disabled}) {
      CHECK(result->status().code() == StatusCode::kUnauthenticated);
      CHECK(result->status().message() == unknown.status().message());
    }
  }

  TEST_CASE("repeated failed logins of one name are slowed down, by the clock") {
    Fixture f;
    for (int i = 0; i < LoginThrottle::kFreeFailures + 1; ++i) {
      CHECK(f.accounts.Login("anna", "a wrong guess").status().code() ==
            StatusCode::kUnauthenticated);
    }
    // Now even the right password has to wait; the answer says how long.
    const auto throttled = f.accounts.Login("anna", kPassword);
    CHECK(throttled.status().code() == StatusCode::kTooManyRequests);
    CHECK(throttled.status().message().find("try again in 1 s") != std::string::npos);
    // Unknown names are throttled alike, and other users are not affected.
    for (int i = 0; i < LoginThrottle::kFreeFailures + 1; ++i) (void)f.accounts.Login("x", "y");
    CHECK(f.accounts.Login("x", "y").status().code() == StatusCode::kTooManyRequests);
    CHECK(f.accounts.Login("dora", kPassword).ok());
    f.clock.Advance(seconds(1));
    CHECK(f.accounts.Login("anna", kPassword).ok());
    // Success cleared the name's failures.
    CHECK(f.accounts.Login("anna", "a wrong guess").status().code() ==
          StatusCode::kUnauthenticated);
  }

  TEST_CASE("API tokens work until they expire or are revoked") {
    Fixture f;
    auto lasting = f.accounts.IssueToken("anna", std::string("laptop"), std::nullopt);
    auto brief = f.accounts.IssueToken("dora", std::nullopt, 2);
    REQUIRE(lasting.ok());
    REQUIRE(brief.ok());
    CHECK(IsWellFormedToken(lasting->token, kApiTokenPrefix));
    const auto me = f.As(lasting->token);
    REQUIRE(me.ok());
    CHECK(me->name == "anna");
    CHECK_FALSE(me->via_session);
    CHECK(f.As(brief->token)->role == Role::kDpo);
    f.clock.Advance(std::chrono::hours(47));
    CHECK(f.As(brief->token).ok());
    f.clock.Advance(std::chrono::hours(1));
    CHECK(CodeOf(f.As(brief->token)) == StatusCode::kUnauthenticated);
    CHECK(f.accounts.RevokeToken(lasting->record.id).ok());
    CHECK(CodeOf(f.As(lasting->token)) == StatusCode::kUnauthenticated);
    CHECK(f.accounts.RevokeToken("tok-unknown").code() == StatusCode::kNotFound);
    CHECK(f.accounts.IssueToken("anna", std::nullopt, 0).status().code() ==
          StatusCode::kValidation);
    CHECK(f.accounts.IssueToken("nobody", std::nullopt, 1).status().code() ==
          StatusCode::kNotFound);
    const auto listed = f.accounts.TokensOf("anna");
    REQUIRE(listed.ok());
    REQUIRE(listed->size() == 1);
    CHECK(listed->at(0).label == std::optional<std::string>("laptop"));
    CHECK(listed->at(0).revoked_at.has_value());
  }

  TEST_CASE("disabling a user ends its sessions and refuses its tokens") {
    Fixture f;
    const std::string session = f.LogIn("anna");
    const auto token = f.accounts.IssueToken("anna", std::nullopt, std::nullopt);
    REQUIRE(token.ok());
    REQUIRE(f.accounts.DisableUser("anna").ok());
    CHECK(CodeOf(f.As(session)) == StatusCode::kUnauthenticated);
    CHECK(CodeOf(f.As(token->token)) == StatusCode::kUnauthenticated);
    CHECK(f.accounts.DisableUser("nobody").code() == StatusCode::kNotFound);
  }

  TEST_CASE("creating users checks the name, the password and uniqueness") {
    Fixture f;
    CHECK(f.accounts.CreateUser("anna", Role::kAdmin, kPassword).status().code() ==
          StatusCode::kConflict);
    CHECK(f.accounts.CreateUser("Bad Name", Role::kAdmin, kPassword).status().code() ==
          StatusCode::kValidation);
    CHECK(f.accounts.CreateUser("short", Role::kAdmin, "too short").status().code() ==
          StatusCode::kValidation);
    const auto users = f.accounts.ListUsers();
    REQUIRE(users.ok());
    CHECK(users->size() == 2);
    CHECK(users->at(0).password_hash.rfind("$argon2id$", 0) == 0);
  }

  TEST_CASE("malformed and unknown credentials are refused") {
    Fixture f;
    for (const std::string& header :
         {std::string(), std::string("Bearer nonsense"), std::string("Token dsr_x"),
          "Bearer " + NewSecretToken(kApiTokenPrefix),
          "Bearer " + NewSecretToken(kSessionTokenPrefix)}) {
      CAPTURE(header);
      CHECK(f.accounts.Authenticate(header).status().code() == StatusCode::kUnauthenticated);
    }
  }
}

}  // namespace dsr::auth
