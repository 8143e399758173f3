// Store: the source of truth of the coordinator (requests, tasks, results
// metadata, audit events) on SOCI, SQLite by default.
//
// Open() applies pending schema migrations. Reads are thread-safe and run on a
// pool of connections. Writes go through Write(), one transaction per call:
// the body's changes commit together or not at all. The coordinator has a
// single writer (its engine thread); Write() serializes callers anyway.
// Errors of the database come back as kUnavailable (cannot reach or lock it)
// or kInternal; no exception leaves this class.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/data_protection.h"
#include "common/status.h"
#include "coordinator/store/auth_records.h"
#include "coordinator/store/model.h"

namespace dsr::store {

struct RequestFilter {
  std::optional<RequestStatus> status;
  int limit = 100;
  int offset = 0;
};

// Changes inside one Write() transaction. Only valid during that call.
class StoreWriter {
 public:
  virtual ~StoreWriter() = default;
  virtual Status InsertRequest(const RequestRecord& request) = 0;
  // Replaces the mutable fields (status, timestamps, bundle) of an existing request.
  virtual Status UpdateRequest(const RequestRecord& request) = 0;
  virtual Status InsertTask(const TaskRecord& task) = 0;
  // Replaces the mutable fields (status, attempts, worker, error, records) of a task.
  virtual Status UpdateTask(const TaskRecord& task) = 0;
  // Replaces all result rows of a task.
  virtual Status ReplaceResults(const std::string& task_id,
                                const std::vector<ResultRecord>& results) = 0;
  // Replaces all outcome rows of a task (erasure, rectification).
  virtual Status ReplaceOutcomes(const std::string& task_id,
                                 const std::vector<OutcomeRecord>& outcomes) = 0;
  virtual Status InsertIdentityCheck(const IdentityCheckRecord& check) = 0;
  virtual Status InsertPause(const PauseRecord& pause) = 0;
  // Ends the request's open pause; kConflict when there is none.
  virtual Status EndPause(const std::string& request_id, CivilDate ended_on) = 0;
  virtual Status InsertHold(const HoldRecord& hold) = 0;
  // Replaces the mutable fields (status, follow-up) of a hold.
  virtual Status UpdateHold(const HoldRecord& hold) = 0;
  virtual Status InsertReviewDecision(const ReviewDecisionRecord& decision) = 0;
  // Queues a notification unless one with its event key and channel exists;
  // true when it was queued.
  virtual Result<bool> QueueNotification(const NotificationRecord& notification) = 0;
  // Replaces the mutable fields (status, attempts, next attempt, error, sent_at).
  virtual Status UpdateNotification(const NotificationRecord& notification) = 0;
  // Clears every personal field of a closed request (identities unless
  // `keep_subject`, note, corrections, reasons, the sources' differing
  // values, its identity checks' notes, pause and review reasons) and its
  // result rows, and marks it purged; its skeleton stays.
  virtual Status PurgeRequest(const std::string& id, const std::string& purged_at,
                              bool keep_subject) = 0;
  // Clears the subject a purged request kept for its holds' follow-ups.
  virtual Status ClearKeptSubject(const std::string& id) = 0;
  // Appends to the audit chain; fills seq, prev_hash and hash.
  virtual Status AppendEvent(EventRecord event) = 0;

  // Users, API tokens and sessions (store_auth.cc). kConflict for a user
  // name or token id that exists; kNotFound for an unknown one.
  virtual Status InsertUser(const UserRecord& user) = 0;
  virtual Status DisableUser(const std::string& name, const std::string& at) = 0;
  // The user's language for the web interface; none clears the choice.
  virtual Status SetUserLanguage(const std::string& name,
                                 const std::optional<std::string>& language) = 0;
  virtual Status InsertApiToken(const ApiTokenRecord& token) = 0;
  virtual Status RevokeApiToken(const std::string& id, const std::string& at) = 0;
  virtual Status InsertSession(const SessionRecord& session) = 0;
  virtual Status TouchSession(const std::string& token_sha256, const std::string& at) = 0;
  // Ends one session; ok when it was already gone.
  virtual Status DeleteSession(const std::string& token_sha256) = 0;
  // Ends every session of a user (when it is disabled).
  virtual Status DeleteSessionsOf(const std::string& user_name) = 0;
  // Delivery links (store_auth.cc); PurgeRequest deletes a request's links.
  virtual Status InsertDeliveryLink(const DeliveryLinkRecord& link) = 0;
  // Replaces the mutable fields (failed_codes, downloads, revoked_at).
  virtual Status UpdateDeliveryLink(const DeliveryLinkRecord& link) = 0;
  virtual Result<DeliveryLinkRecord> GetDeliveryLink(const std::string& token_sha256) = 0;

  // Reads that see this transaction's own changes.
  virtual Result<RequestRecord> GetRequest(const std::string& id) = 0;
  virtual Result<TaskRecord> GetTask(const std::string& id) = 0;
  virtual Result<std::vector<TaskRecord>> TasksOfRequest(const std::string& request_id) = 0;
  virtual Result<HoldRecord> GetHold(const std::string& id) = 0;
  virtual Result<NotificationRecord> GetNotification(const std::string& id) = 0;
};

struct NotificationFilter {
  std::optional<std::string> request_id;
  int limit = 1000;
};

struct HoldFilter {
  std::optional<HoldStatus> status;
  std::optional<std::string> request_id;
  int limit = 1000;
};

class Store {
 public:
  // `url` is a SOCI connection string ("sqlite3://db=/var/lib/dsr/dsr.db timeout=5");
  // `read_connections` sizes the pool for concurrent reads (≥ 1). With `keys`,
  // the columns that hold personal data are sealed (field_codec.h); without,
  // they are written as they are (tools that read only the audit chain).
  static Result<std::unique_ptr<Store>> Open(const std::string& url, int read_connections,
                                             std::shared_ptr<const DataKeyring> keys = nullptr);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  int schema_version() const;
  // The data keys given to Open(): the same ring encrypts the files that
  // hold personal data (spooled results, bundles, letters). Null without.
  const DataKeyring* data_keys() const;

  Result<RequestRecord> GetRequest(const std::string& id) const;
  Result<TaskRecord> GetTask(const std::string& id) const;
  Result<std::vector<RequestRecord>> ListRequests(const RequestFilter& filter) const;
  Result<std::vector<TaskRecord>> TasksOfRequest(const std::string& request_id) const;
  Result<std::vector<TaskRecord>> TasksWithStatus(TaskStatus status) const;
  Result<std::vector<ResultRecord>> ResultsOfRequest(const std::string& request_id) const;
  Result<std::vector<EventRecord>> EventsOfRequest(const std::string& request_id) const;
  // Events in chain order with seq > after_seq, at most `limit`.
  Result<std::vector<EventRecord>> EventsAfter(int64_t after_seq, int limit) const;
  // The newest `limit` events about users and tokens (no request; kinds
  // "user.*" and "token.*"), newest first.
  Result<std::vector<EventRecord>> AccountEvents(int limit) const;
  // Access requests approved in review whose bundle is not sealed yet.
  Result<std::vector<std::string>> RequestsAwaitingBundle() const;
  // Closed requests whose letter is due but not written: rejected ones, and
  // completed erasures and rectifications filed by an agent.
  Result<std::vector<std::string>> RequestsAwaitingLetter() const;
  // Extended requests whose notice of the extension is not written.
  Result<std::vector<std::string>> RequestsAwaitingExtensionLetter() const;
  // Requests in progress none of whose tasks is still pending, dispatched or running.
  Result<std::vector<std::string>> RequestsWithSettledTasks() const;

  Result<std::vector<OutcomeRecord>> OutcomesOfRequest(const std::string& request_id) const;
  Result<std::vector<IdentityCheckRecord>> IdentityChecksOf(const std::string& request_id) const;
  Result<std::vector<PauseRecord>> PausesOf(const std::string& request_id) const;
  Result<std::vector<ReviewDecisionRecord>> ReviewDecisionsOf(const std::string& request_id) const;
  Result<std::vector<HoldRecord>> ListHolds(const HoldFilter& filter) const;
  // Active holds whose retention ended before `today` (their last day has passed).
  Result<std::vector<HoldRecord>> HoldsEndedBefore(CivilDate today) const;

  // Pending notifications whose next attempt is due at `now` (RFC 3339 UTC),
  // oldest first, at most `limit`.
  Result<std::vector<NotificationRecord>> NotificationsDue(const std::string& now, int limit) const;
  // Notifications newest first, optionally of one request.
  Result<std::vector<NotificationRecord>> ListNotifications(const NotificationFilter& filter) const;

  // For the DPO's figures and reports (coordinator/reporting):
  // requests not in a final state, by receipt;
  Result<std::vector<RequestRecord>> OpenRequests() const;
  // the failed tasks of those requests;
  Result<std::vector<TaskRecord>> FailedTasksOfOpenRequests() const;
  // requests received on a day in [from, to], by receipt;
  Result<std::vector<RequestRecord>> RequestsReceivedBetween(CivilDate from, CivilDate to) const;
  // requests completed, rejected or cancelled at an instant in [from, until)
  // (RFC 3339 UTC, as FormatUtc writes them), by that instant.
  Result<std::vector<RequestRecord>> RequestsClosedBetween(const std::string& from,
                                                           const std::string& until) const;
  // requests whose deadline was extended at an instant in [from, until),
  // whatever their status now, by that instant.
  Result<std::vector<RequestRecord>> RequestsExtendedBetween(const std::string& from,
                                                             const std::string& until) const;

  // Closed requests (completed, rejected, cancelled) closed before `before`
  // (RFC 3339 UTC) and not purged yet, oldest first, at most `limit`.
  Result<std::vector<std::string>> RequestsDueForPurge(const std::string& before, int limit) const;
  // Purged requests that kept their subject and have no active hold any more.
  Result<std::vector<std::string>> PurgedRequestsKeepingSubject() const;
  // After a purge: makes what was deleted unrecoverable from the database's
  // files where the backend allows it (SQLite: secure_delete is on, and the
  // write-ahead log is checkpointed and truncated).
  Status CompactAfterPurge();

  // Seals every personal column with the current data key: values sealed
  // with an older key of the ring, and values written before encryption at
  // rest. One transaction; returns how many values it rewrote. kInternal
  // without a key ring, or for a value no key of the ring opens.
  Result<int> ResealFields();
  // Users, API tokens and sessions (store_auth.cc); kNotFound when absent.
  Result<UserRecord> GetUser(const std::string& name) const;
  Result<std::vector<UserRecord>> ListUsers() const;
  Result<ApiTokenRecord> GetApiTokenByHash(const std::string& token_sha256) const;
  Result<std::vector<ApiTokenRecord>> ApiTokensOf(const std::string& user_name) const;
  Result<SessionRecord> GetSessionByHash(const std::string& token_sha256) const;
  Result<DeliveryLinkRecord> GetDeliveryLink(const std::string& token_sha256) const;
  Result<std::vector<DeliveryLinkRecord>> DeliveryLinksOf(const std::string& request_id) const;

  // Runs `body` in one write transaction; commits when it returns ok.
  Status Write(const std::function<Status(StoreWriter&)>& body);

 private:
  struct Impl;
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Walks the whole audit chain and checks every hash. Ok, or kInternal naming
// the first event whose hash or link does not match.
Status VerifyAuditChain(const Store& store);

}  // namespace dsr::store
