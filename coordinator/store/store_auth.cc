// Users, API tokens and sessions: the rows behind the API's authentication.
// Reads throw SOCI errors to the caller's guard (which reconnects); writes
// turn them into a Status like the rest of the StoreWriter.
#include <soci/soci.h>

#include "coordinator/store/store_internal.h"

namespace dsr::store {
namespace {

constexpr const char* kUserColumns = "name, role, password_hash, created_at, disabled_at, language";
constexpr const char* kApiTokenColumns =
    "id, user_name, token_sha256, label, created_at, expires_at, revoked_at";
constexpr const char* kSessionColumns =
    "token_sha256, user_name, created_at, expires_at, last_seen_at";

UserRecord UserFromRow(const soci::row& row) {
  return {TextColumn(row, "name"),
          TextColumn(row, "role"),
          TextColumn(row, "password_hash"),
          TextColumn(row, "created_at"),
          OptionalTextColumn(row, "disabled_at"),
          OptionalTextColumn(row, "language")};
}

ApiTokenRecord ApiTokenFromRow(const soci::row& row) {
  return {TextColumn(row, "id"),
          TextColumn(row, "user_name"),
          TextColumn(row, "token_sha256"),
          OptionalTextColumn(row, "label"),
          TextColumn(row, "created_at"),
          OptionalTextColumn(row, "expires_at"),
          OptionalTextColumn(row, "revoked_at")};
}

SessionRecord SessionFromRow(const soci::row& row) {
  return {TextColumn(row, "token_sha256"), TextColumn(row, "user_name"),
          TextColumn(row, "created_at"), TextColumn(row, "expires_at"),
          TextColumn(row, "last_seen_at")};
}

constexpr const char* kDeliveryLinkColumns =
    "token_sha256, request_id, created_by, created_at, expires_at, code_hash, failed_codes, "
    "downloads, revoked_at";

DeliveryLinkRecord DeliveryLinkFromRow(const soci::row& row) {
  DeliveryLinkRecord link;
  link.token_sha256 = TextColumn(row, "token_sha256");
  link.request_id = TextColumn(row, "request_id");
  link.created_by = TextColumn(row, "created_by");
  link.created_at = TextColumn(row, "created_at");
  link.expires_at = TextColumn(row, "expires_at");
  link.code_hash = OptionalTextColumn(row, "code_hash");
  link.failed_codes = static_cast<int>(IntColumn(row, "failed_codes"));
  link.downloads = static_cast<int>(IntColumn(row, "downloads"));
  link.revoked_at = OptionalTextColumn(row, "revoked_at");
  return link;
}

bool Exists(soci::session& sql, const std::string& query, const std::string& key) {
  int count = 0;
  sql << query, soci::use(key), soci::into(count);
  return count > 0;
}

// Runs an UPDATE or DELETE; kNotFound with `missing` when it changed no row.
Status ChangeOne(soci::statement statement, const std::string& missing) {
  statement.execute(true);
  if (statement.get_affected_rows() < 1) return NotFound(missing);
  return Status::Ok();
}

}  // namespace

Result<UserRecord> ReadUser(soci::session& sql, const std::string& name) {
  soci::row row;
  sql << "SELECT " << kUserColumns << " FROM users WHERE name = :name", soci::use(name),
      soci::into(row);
  if (!sql.got_data()) return NotFound("no user named " + name);
  return UserFromRow(row);
}

Result<std::vector<UserRecord>> ReadUsers(soci::session& sql) {
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT " << kUserColumns << " FROM users ORDER BY name");
  return Collect<UserRecord>(
      rows, [](const soci::row& row) -> Result<UserRecord> { return UserFromRow(row); });
}

Result<ApiTokenRecord> ReadApiTokenByHash(soci::session& sql, const std::string& token_sha256) {
  soci::row row;
  sql << "SELECT " << kApiTokenColumns << " FROM api_tokens WHERE token_sha256 = :hash",
      soci::use(token_sha256), soci::into(row);
  if (!sql.got_data()) return NotFound("no such token");
  return ApiTokenFromRow(row);
}

Result<std::vector<ApiTokenRecord>> ReadApiTokensOf(soci::session& sql, const std::string& user) {
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT " << kApiTokenColumns
                   << " FROM api_tokens WHERE user_name = :user ORDER BY created_at, id",
       soci::use(user));
  return Collect<ApiTokenRecord>(
      rows, [](const soci::row& row) -> Result<ApiTokenRecord> { return ApiTokenFromRow(row); });
}

Result<SessionRecord> ReadSessionByHash(soci::session& sql, const std::string& token_sha256) {
  soci::row row;
  sql << "SELECT " << kSessionColumns << " FROM sessions WHERE token_sha256 = :hash",
      soci::use(token_sha256), soci::into(row);
  if (!sql.got_data()) return NotFound("no such session");
  return SessionFromRow(row);
}

Status WriteUser(soci::session& sql, const UserRecord& user) {
  return Guarded("insert user", [&]() -> Status {
    if (Exists(sql, "SELECT COUNT(*) FROM users WHERE name = :name", user.name))
      return Conflict("a user named " + user.name + " exists already");
    NullableText disabled(user.disabled_at);
    sql << "INSERT INTO users (name, role, password_hash, created_at, disabled_at) VALUES "
           "(:name, :role, :hash, :created, :disabled)",
        soci::use(user.name), soci::use(user.role), soci::use(user.password_hash),
        soci::use(user.created_at), soci::use(disabled.value, disabled.indicator);
    return Status::Ok();
  });
}

Status WriteUserDisabled(soci::session& sql, const std::string& name, const std::string& at) {
  return Guarded("disable user", [&]() -> Status {
    if (!Exists(sql, "SELECT COUNT(*) FROM users WHERE name = :name", name))
      return NotFound("no user named " + name);
    // Disabling twice keeps the first instant.
    sql << "UPDATE users SET disabled_at = :at WHERE name = :name AND disabled_at IS NULL",
        soci::use(at), soci::use(name);
    return Status::Ok();
  });
}

Status WriteUserLanguage(soci::session& sql, const std::string& name,
                         const std::optional<std::string>& language) {
  return Guarded("set user language", [&]() -> Status {
    // Checked apart: MariaDB counts only rows whose values changed.
    if (!Exists(sql, "SELECT COUNT(*) FROM users WHERE name = :name", name))
      return NotFound("no user named " + name);
    NullableText chosen(language);
    sql << "UPDATE users SET language = :language WHERE name = :name",
        soci::use(chosen.value, chosen.indicator), soci::use(name);
    return Status::Ok();
  });
}

Status WriteApiToken(soci::session& sql, const ApiTokenRecord& token) {
  return Guarded("insert token", [&]() -> Status {
    if (Exists(sql, "SELECT COUNT(*) FROM api_tokens WHERE id = :id", token.id))
      return Conflict("a token with id " + token.id + " exists already");
    if (!Exists(sql, "SELECT COUNT(*) FROM users WHERE name = :name", token.user_name))
      return NotFound("no user named " + token.user_name);
    NullableText label(token.label), expires(token.expires_at), revoked(token.revoked_at);
    sql << "INSERT INTO api_tokens (id, user_name, token_sha256, label, created_at, expires_at, "
           "revoked_at) VALUES (:id, :user, :hash, :label, :created, :expires, :revoked)",
        soci::use(token.id), soci::use(token.user_name), soci::use(token.token_sha256),
        soci::use(label.value, label.indicator), soci::use(token.created_at),
        soci::use(expires.value, expires.indicator), soci::use(revoked.value, revoked.indicator);
    return Status::Ok();
  });
}

Status WriteApiTokenRevoked(soci::session& sql, const std::string& id, const std::string& at) {
  return Guarded("revoke token", [&]() -> Status {
    if (!Exists(sql, "SELECT COUNT(*) FROM api_tokens WHERE id = :id", id))
      return NotFound("no token with id " + id);
    sql << "UPDATE api_tokens SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL",
        soci::use(at), soci::use(id);
    return Status::Ok();
  });
}

Status WriteSession(soci::session& sql, const SessionRecord& session) {
  return Guarded("insert session", [&]() -> Status {
    sql << "INSERT INTO sessions (token_sha256, user_name, created_at, expires_at, "
           "last_seen_at) VALUES (:hash, :user, :created, :expires, :seen)",
        soci::use(session.token_sha256), soci::use(session.user_name),
        soci::use(session.created_at), soci::use(session.expires_at),
        soci::use(session.last_seen_at);
    return Status::Ok();
  });
}

Status WriteSessionSeen(soci::session& sql, const std::string& token_sha256,
                        const std::string& at) {
  return Guarded("touch session", [&]() -> Status {
    return ChangeOne(
        (sql.prepare << "UPDATE sessions SET last_seen_at = :at WHERE token_sha256 = :hash",
         soci::use(at), soci::use(token_sha256)),
        "no such session");
  });
}

Status WriteSessionEnded(soci::session& sql, const std::string& token_sha256) {
  return Guarded("end session", [&]() -> Status {
    sql << "DELETE FROM sessions WHERE token_sha256 = :hash", soci::use(token_sha256);
    return Status::Ok();
  });
}

Status WriteSessionsOfUserEnded(soci::session& sql, const std::string& user_name) {
  return Guarded("end sessions", [&]() -> Status {
    sql << "DELETE FROM sessions WHERE user_name = :user", soci::use(user_name);
    return Status::Ok();
  });
}

Result<DeliveryLinkRecord> ReadDeliveryLink(soci::session& sql, const std::string& token_sha256) {
  soci::row row;
  sql << "SELECT " << kDeliveryLinkColumns << " FROM delivery_links WHERE token_sha256 = :hash",
      soci::use(token_sha256), soci::into(row);
  if (!sql.got_data()) return NotFound("no such delivery link");
  return DeliveryLinkFromRow(row);
}

Result<std::vector<DeliveryLinkRecord>> ReadDeliveryLinksOf(soci::session& sql,
                                                            const std::string& request_id) {
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT " << kDeliveryLinkColumns
                   << " FROM delivery_links WHERE request_id = :id ORDER BY created_at, "
                      "token_sha256",
       soci::use(request_id));
  return Collect<DeliveryLinkRecord>(rows, [](const soci::row& row) -> Result<DeliveryLinkRecord> {
    return DeliveryLinkFromRow(row);
  });
}

Status WriteDeliveryLink(soci::session& sql, const DeliveryLinkRecord& link) {
  return Guarded("insert delivery link", [&]() -> Status {
    if (!Exists(sql, "SELECT COUNT(*) FROM requests WHERE id = :id", link.request_id))
      return NotFound("no request with id " + link.request_id);
    NullableText code(link.code_hash), revoked(link.revoked_at);
    sql << "INSERT INTO delivery_links (token_sha256, request_id, created_by, created_at, "
           "expires_at, code_hash, failed_codes, downloads, revoked_at) VALUES (:hash, :request, "
           ":by, :created, :expires, :code, :failed, :downloads, :revoked)",
        soci::use(link.token_sha256), soci::use(link.request_id), soci::use(link.created_by),
        soci::use(link.created_at), soci::use(link.expires_at),
        soci::use(code.value, code.indicator), soci::use(link.failed_codes),
        soci::use(link.downloads), soci::use(revoked.value, revoked.indicator);
    return Status::Ok();
  });
}

Status WriteDeliveryLinkChange(soci::session& sql, const DeliveryLinkRecord& link) {
  return Guarded("update delivery link", [&]() -> Status {
    // Checked apart: MariaDB counts only rows whose values changed.
    if (!Exists(sql, "SELECT COUNT(*) FROM delivery_links WHERE token_sha256 = :hash",
                link.token_sha256))
      return NotFound("no such delivery link");
    NullableText revoked(link.revoked_at);
    sql << "UPDATE delivery_links SET failed_codes = :failed, downloads = :downloads, "
           "revoked_at = :revoked WHERE token_sha256 = :hash",
        soci::use(link.failed_codes), soci::use(link.downloads),
        soci::use(revoked.value, revoked.indicator), soci::use(link.token_sha256);
    return Status::Ok();
  });
}

}  // namespace dsr::store
