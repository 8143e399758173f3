// Accounts: users, their API tokens and their login sessions on the store.
//
// It authenticates the API's callers (an API token or a session token in
// "Authorization: Bearer …"), logs users in and out, and administers users and
// tokens for the admin routes and for dsrctl (which works on the store
// directly, so that the first admin can be made before anyone can sign in).
//
// Sessions end `session_lifetime` after login, or earlier when unused for
// `idle_timeout`; both by the injected clock. Last use is written at most once
// a minute, so the idle time-out is exact to that minute. These writes go to
// the store from the HTTP threads: they touch only the auth tables, never a
// request, so the engine (the writer of everything else) stays out of every
// API call's path. Store::Write serialises them with the engine's writes.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "coordinator/auth/login_throttle.h"
#include "coordinator/auth/roles.h"
#include "coordinator/store/store.h"

namespace dsr::auth {

struct AuthSettings {
  std::chrono::minutes session_lifetime{480};  // auth.session_minutes
  std::chrono::minutes idle_timeout{30};       // auth.idle_minutes
};

struct NewSession {
  std::string token;  // shown once; the store keeps only its SHA-256
  std::string expires_at;
  std::string user;
  Role role = Role::kAuditor;
};

struct IssuedToken {
  store::ApiTokenRecord record;
  std::string token;  // shown once; the store keeps only its SHA-256
};

inline constexpr const char* kSystemActor = "system";

// Whether an audit event records a change to users or tokens.
bool IsAccountEvent(const std::string& kind);

class Accounts final : public CredentialCheck {
 public:
  Accounts(store::Store& store, const Clock& clock, AuthSettings settings = {});

  Result<Principal> Authenticate(const std::string& authorization) const override;

  // kUnauthenticated with one message for an unknown user, a wrong password
  // and a disabled user; kTooManyRequests while the name must wait (LoginThrottle).
  Result<NewSession> Login(const std::string& name, const std::string& password);
  // Ends the session of `authorization`; ok when it had ended already.
  Status Logout(const std::string& authorization);

  // Changes to users and tokens are audit events of their own (no request):
  // "user.created", "user.disabled", "token.issued", "token.revoked", by
  // `actor` (the admin's name, or "dsrctl" on the store directly), in the
  // same transaction as the change.
  Result<store::UserRecord> CreateUser(const std::string& name, Role role,
                                       const std::string& password,
                                       const std::string& actor = kSystemActor);
  // Refuses the user's tokens and sessions from now on; ends its sessions.
  Status DisableUser(const std::string& name, const std::string& actor = kSystemActor);
  Result<std::vector<store::UserRecord>> ListUsers() const;
  // The language a user chose for the web interface: "de" or "en"
  // (kValidation otherwise); none until they choose.
  Status SetLanguage(const std::string& name, const std::string& language);
  Result<std::optional<std::string>> LanguageOf(const std::string& name) const;
  // `expires_in_days`: 1–3650, or none for a token that does not expire.
  Result<IssuedToken> IssueToken(const std::string& user, std::optional<std::string> label,
                                 std::optional<int> expires_in_days,
                                 const std::string& actor = kSystemActor);
  Status RevokeToken(const std::string& id, const std::string& actor = kSystemActor);
  Result<std::vector<store::ApiTokenRecord>> TokensOf(const std::string& user) const;

 private:
  Result<Principal> FromApiToken(const std::string& token) const;
  Result<Principal> FromSession(const std::string& token) const;
  // The user's role when it exists and is enabled; kUnauthenticated otherwise.
  Result<Role> ActiveRole(const std::string& name) const;

  store::Store& store_;
  const Clock& clock_;
  AuthSettings settings_;
  LoginThrottle throttle_;
};

}  // namespace dsr::auth
