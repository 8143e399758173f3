// What the store's implementation files share: the exception guard, row
// collection, column lists and the reads both the pooled readers and the
// writer's transaction use. Internal to the store.
#pragma once

#include <soci/soci.h>

#include <memory>
#include <string>
#include <vector>

#include "coordinator/store/sql_rows.h"
#include "coordinator/store/store.h"

namespace dsr::store {

inline constexpr const char* kRequestColumns =
    "id, type, status, subject, language, channel, note, received_on, due_on, created_at, "
    "updated_at, completed_at, bundle_path, bundle_sha256, bundle_bytes, corrections, origin, "
    "follow_up_of, paused_since, paused_days, approved_at, closing_ground, closing_reason, "
    "letter_path, consistency, extended_due_on, extended_at, extension_reason, "
    "extension_letter_path, purged_at, subject_kept";
inline constexpr const char* kTaskColumns =
    "id, request_id, source, action, status, attempts, worker, error_code, error_message, "
    "records, created_at, updated_at, scope, round, retry_at";
inline constexpr const char* kEventColumns =
    "seq, request_id, at, kind, actor, details, prev_hash, hash";
inline constexpr const char* kHoldColumns =
    "id, request_id, source, collection, retained_until, legal_basis, record_keys, status, "
    "follow_up_request_id, created_at";
inline constexpr const char* kNotificationColumns =
    "id, event_key, channel, kind, request_id, payload, status, attempts, next_attempt_at, "
    "last_error, created_at, sent_at";

// Runs `body`, turning SOCI and standard exceptions into a Status.
template <typename Body>
auto Guarded(const std::string& what, Body&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const soci::soci_error& error) {
    return StatusFromSociError(error, what);
  } catch (const std::exception& error) {
    return Internal("store: " + what + " failed: " + error.what());
  }
}

template <typename Record, typename Convert>
Result<std::vector<Record>> Collect(soci::rowset<soci::row>& rows, Convert convert) {
  std::vector<Record> records;
  for (const auto& row : rows) {
    Result<Record> record = convert(row);
    if (!record.ok()) return record.status();
    records.push_back(std::move(record.value()));
  }
  return records;
}

Result<RequestRecord> ReadRequest(soci::session& sql, const std::string& id,
                                  const FieldCodec& codec);
Result<TaskRecord> ReadTask(soci::session& sql, const std::string& id);
Result<std::vector<TaskRecord>> ReadTasksOfRequest(soci::session& sql, const std::string& id);
Result<HoldRecord> ReadHold(soci::session& sql, const std::string& id);
Result<NotificationRecord> ReadNotification(soci::session& sql, const std::string& id);

// Users, API tokens and sessions (store_auth.cc).
Result<UserRecord> ReadUser(soci::session& sql, const std::string& name);
Result<std::vector<UserRecord>> ReadUsers(soci::session& sql);
Result<ApiTokenRecord> ReadApiTokenByHash(soci::session& sql, const std::string& token_sha256);
Result<std::vector<ApiTokenRecord>> ReadApiTokensOf(soci::session& sql, const std::string& user);
Result<SessionRecord> ReadSessionByHash(soci::session& sql, const std::string& token_sha256);
Status WriteUser(soci::session& sql, const UserRecord& user);
Status WriteUserDisabled(soci::session& sql, const std::string& name, const std::string& at);
Status WriteUserLanguage(soci::session& sql, const std::string& name,
                         const std::optional<std::string>& language);
Status WriteApiToken(soci::session& sql, const ApiTokenRecord& token);
Status WriteApiTokenRevoked(soci::session& sql, const std::string& id, const std::string& at);
Status WriteSession(soci::session& sql, const SessionRecord& session);
Status WriteSessionSeen(soci::session& sql, const std::string& token_sha256, const std::string& at);
Status WriteSessionEnded(soci::session& sql, const std::string& token_sha256);
Status WriteSessionsOfUserEnded(soci::session& sql, const std::string& user_name);
Result<DeliveryLinkRecord> ReadDeliveryLink(soci::session& sql, const std::string& token_sha256);
Result<std::vector<DeliveryLinkRecord>> ReadDeliveryLinksOf(soci::session& sql,
                                                            const std::string& request_id);
Status WriteDeliveryLink(soci::session& sql, const DeliveryLinkRecord& link);
Status WriteDeliveryLinkChange(soci::session& sql, const DeliveryLinkRecord& link);

// A StoreWriter working in `sql`'s open transaction.
std::unique_ptr<StoreWriter> NewSessionWriter(soci::session& sql, const FieldCodec& codec);

}  // namespace dsr::store
