#include "coordinator/auth/accounts.h"

#include <nlohmann/json.hpp>

#include "common/digest.h"
#include "coordinator/auth/credentials.h"

namespace dsr::auth {
namespace {

constexpr std::chrono::minutes kTouchEvery{1};
constexpr const char* kInvalidToken = "the token is not valid: unknown, expired or revoked";
constexpr const char* kWrongLogin = "the name or the password is wrong";

// A hash to verify against when the user does not exist, so that an unknown
// name costs as much time as a wrong password.
const std::string& DecoyHash() {
  static const std::string hash = HashPassword("decoy password that matches nothing").value();
  return hash;
}

bool HasPassed(const std::optional<std::string>& at, Clock::WallTime now) {
  if (!at) return false;
  auto instant = ParseUtc(*at);
  return !instant.ok() || *instant <= now;  // an unreadable instant counts as passed
}

}  // namespace

Accounts::Accounts(store::Store& store, const Clock& clock, AuthSettings settings)
    : store_(store), clock_(clock), settings_(settings) {}

Result<Principal> Accounts::Authenticate(const std::string& authorization) const {
  const auto token = BearerToken(authorization);
  if (!token) return Unauthenticated("this route needs the header Authorization: Bearer <token>");
  if (IsWellFormedToken(*token, kSessionTokenPrefix)) return FromSession(*token);
  if (IsWellFormedToken(*token, kApiTokenPrefix)) return FromApiToken(*token);
  return Unauthenticated(kInvalidToken);
}

Result<Role> Accounts::ActiveRole(const std::string& name) const {
  auto user = store_.GetUser(name);
  if (!user.ok()) {
    if (user.status().code() == StatusCode::kNotFound) return Unauthenticated(kInvalidToken);
    return user.status();
  }
  if (user->disabled_at) return Unauthenticated("the user " + name + " is disabled");
  auto role = ParseRole(user->role);
  if (!role.ok()) return Internal("the stored role of user " + name + " is not known");
  return *role;
}

Result<Principal> Accounts::FromApiToken(const std::string& token) const {
  const std::string digest = TokenDigest(token);
  auto found = store_.GetApiTokenByHash(digest);
  if (!found.ok()) {
    if (found.status().code() == StatusCode::kNotFound) return Unauthenticated(kInvalidToken);
    return found.status();
  }
  // The store found it by an index lookup; compare the whole digest once
  // more in constant time so that no collation or truncation can pass a near miss.
  if (!ConstantTimeEquals(found->token_sha256, digest) || found->revoked_at ||
      HasPassed(found->expires_at, clock_.Now())) {
    return Unauthenticated(kInvalidToken);
  }
  auto role = ActiveRole(found->user_name);
  if (!role.ok()) return role.status();
  return Principal{found->user_name, *role, false, found->expires_at};
}

Result<Principal> Accounts::FromSession(const std::string& token) const {
  const std::string digest = TokenDigest(token);
  auto found = store_.GetSessionByHash(digest);
  if (!found.ok()) {
    if (found.status().code() == StatusCode::kNotFound) return Unauthenticated(kInvalidToken);
    return found.status();
  }
  const auto now = clock_.Now();
  auto last_seen = ParseUtc(found->last_seen_at);
  const bool idle = !last_seen.ok() || now - *last_seen >= settings_.idle_timeout;
  if (!ConstantTimeEquals(found->token_sha256, digest)) return Unauthenticated(kInvalidToken);
  if (idle || HasPassed(found->expires_at, now)) {
    // Dropping the row is tidying up only; the answer is the same if it fails.
    (void)store_.Write([&](store::StoreWriter& w) { return w.DeleteSession(digest); });
    return Unauthenticated("the session has expired; log in again");
  }
  auto role = ActiveRole(found->user_name);
  if (!role.ok()) return role.status();
  if (now - *last_seen >= kTouchEvery) {
    Status touched =
        store_.Write([&](store::StoreWriter& w) { return w.TouchSession(digest, FormatUtc(now)); });
    if (!touched.ok() && touched.code() != StatusCode::kNotFound) return touched;
  }
  return Principal{found->user_name, *role, true, found->expires_at};
}

Result<NewSession> Accounts::Login(const std::string& name, const std::string& password) {
  if (auto wait = throttle_.WaitBefore(name, clock_.Monotonic())) {
    const auto seconds = (wait->count() + 999) / 1000;
    return TooManyRequests("too many failed logins for this name; try again in " +
                           std::to_string(seconds) + " s");
  }
  auto user = store_.GetUser(name);
  if (!user.ok() && user.status().code() != StatusCode::kNotFound) return user.status();
  const bool known = user.ok();
  // Verify even for an unknown or disabled user, so that the time taken
  // does not tell which names exist.
  const bool matches = VerifyPassword(known ? user->password_hash : DecoyHash(), password);
  if (!known || !matches || user->disabled_at) {
    throttle_.Failed(name, clock_.Monotonic());
    return Unauthenticated(kWrongLogin);
  }
  auto role = ParseRole(user->role);
  if (!role.ok()) return Internal("the stored role of user " + name + " is not known");
  throttle_.Succeeded(name);
  const auto now = clock_.Now();
  store::SessionRecord session;
  const std::string token = NewSecretToken(kSessionTokenPrefix);
  session.token_sha256 = TokenDigest(token);
  session.user_name = name;
  session.created_at = FormatUtc(now);
  session.expires_at = FormatUtc(now + settings_.session_lifetime);
  session.last_seen_at = session.created_at;
  DSR_RETURN_IF_ERROR(
      store_.Write([&](store::StoreWriter& w) { return w.InsertSession(session); }));
  return NewSession{token, session.expires_at, name, *role};
}

Status Accounts::Logout(const std::string& authorization) {
  const auto token = BearerToken(authorization);
  if (!token || !IsWellFormedToken(*token, kSessionTokenPrefix)) {
    return InvalidArgument("logging out needs the session token in Authorization: Bearer");
  }
  const std::string digest = TokenDigest(*token);
  return store_.Write([&](store::StoreWriter& w) { return w.DeleteSession(digest); });
}

bool IsAccountEvent(const std::string& kind) {
  return kind.rfind("user.", 0) == 0 || kind.rfind("token.", 0) == 0;
}

namespace {

// An event of the audit chain about users or tokens: it belongs to no
// request. Names of staff and token ids only; never a password or a token.
store::EventRecord AccountEvent(const std::string& at, const std::string& kind,
                                const std::string& actor, nlohmann::json details) {
  store::EventRecord event;
  event.at = at;
  event.kind = kind;
  event.actor = actor;
  event.details = details.dump();
  return event;
}

}  // namespace

Result<store::UserRecord> Accounts::CreateUser(const std::string& name, Role role,
                                               const std::string& password,
                                               const std::string& actor) {
  DSR_RETURN_IF_ERROR(CheckUserName(name));
  auto hash = HashPassword(password);
  if (!hash.ok()) return hash.status();
  const store::UserRecord user{name,         std::string(RoleName(role)),
                               *hash,        FormatUtc(clock_.Now()),
                               std::nullopt, std::nullopt};
  DSR_RETURN_IF_ERROR(store_.Write([&](store::StoreWriter& w) -> Status {
    DSR_RETURN_IF_ERROR(w.InsertUser(user));
    return w.AppendEvent(AccountEvent(user.created_at, "user.created", actor,
                                      {{"user", user.name}, {"role", user.role}}));
  }));
  return user;
}

Status Accounts::DisableUser(const std::string& name, const std::string& actor) {
  const std::string now = FormatUtc(clock_.Now());
  return store_.Write([&](store::StoreWriter& w) -> Status {
    DSR_RETURN_IF_ERROR(w.DisableUser(name, now));
    DSR_RETURN_IF_ERROR(w.DeleteSessionsOf(name));
    return w.AppendEvent(AccountEvent(now, "user.disabled", actor, {{"user", name}}));
  });
}

Status Accounts::SetLanguage(const std::string& name, const std::string& language) {
  if (language != "de" && language != "en") return ValidationError("the language must be de or en");
  return store_.Write(
      [&](store::StoreWriter& w) { return w.SetUserLanguage(name, std::string(language)); });
}

Result<std::optional<std::string>> Accounts::LanguageOf(const std::string& name) const {
  auto user = store_.GetUser(name);
  if (!user.ok()) return user.status();
  return user->language;
}

Result<std::vector<store::UserRecord>> Accounts::ListUsers() const {
  return store_.ListUsers();
}

Result<IssuedToken> Accounts::IssueToken(const std::string& user, std::optional<std::string> label,
                                         std::optional<int> expires_in_days,
                                         const std::string& actor) {
  if (expires_in_days && (*expires_in_days < 1 || *expires_in_days > 3650))
    return ValidationError("a token expires after 1 to 3650 days");
  if (label && label->size() > 200)
    return ValidationError("a token label has at most 200 characters");
  const auto now = clock_.Now();
  IssuedToken issued;
  issued.token = NewSecretToken(kApiTokenPrefix);
  issued.record.id = "tok-" + NewUuid();
  issued.record.user_name = user;
  issued.record.token_sha256 = TokenDigest(issued.token);
  issued.record.label = std::move(label);
  issued.record.created_at = FormatUtc(now);
  if (expires_in_days) {
    issued.record.expires_at = FormatUtc(now + std::chrono::hours(24) * *expires_in_days);
  }
  DSR_RETURN_IF_ERROR(store_.Write([&](store::StoreWriter& w) -> Status {
    DSR_RETURN_IF_ERROR(w.InsertApiToken(issued.record));
    const auto& record = issued.record;
    return w.AppendEvent(AccountEvent(
        record.created_at, "token.issued", actor,
        {{"token_id", record.id},
         {"user", record.user_name},
         {"expires_at", record.expires_at ? nlohmann::json(*record.expires_at) : nullptr}}));
  }));
  return issued;
}

Status Accounts::RevokeToken(const std::string& id, const std::string& actor) {
  const std::string now = FormatUtc(clock_.Now());
  return store_.Write([&](store::StoreWriter& w) -> Status {
    DSR_RETURN_IF_ERROR(w.RevokeApiToken(id, now));
    return w.AppendEvent(AccountEvent(now, "token.revoked", actor, {{"token_id", id}}));
  });
}

Result<std::vector<store::ApiTokenRecord>> Accounts::TokensOf(const std::string& user) const {
  DSR_RETURN_IF_ERROR(store_.GetUser(user).status());
  return store_.ApiTokensOf(user);
}

}  // namespace dsr::auth
