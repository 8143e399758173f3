#include "coordinator/store/store.h"

#include <soci/soci.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <utility>

#include "common/clock.h"
#include "coordinator/store/dialect.h"
#include "coordinator/store/migrations.h"
#include "coordinator/store/store_internal.h"

namespace dsr::store {
namespace {

void RunAll(soci::session& sql, const std::vector<std::string>& statements) {
  for (const auto& statement : statements) sql << statement;
}

void PrepareSession(soci::session& sql, const Dialect& dialect) {
  RunAll(sql, dialect.SessionSetup());
}

// How often sessions that lost their server may try to reconnect. The first
// try is at once; while the server stays away each failure doubles the wait
// before the next one, from 100 ms up to 5 s, and the first success resets
// it. One back-off for all sessions, since they all reach the same server:
// while it is down a call costs one refused connection now and then, not one
// each, and no call ever sleeps (it fails with kUnavailable instead).
class ReconnectBackoff {
 public:
  using Time = std::chrono::steady_clock::time_point;
  static constexpr std::chrono::milliseconds kFirstWait{100};
  static constexpr std::chrono::milliseconds kLongestWait{5000};

  bool MayTry(Time now) {
    std::lock_guard<std::mutex> lock(mutex_);
    return now >= next_try_;
  }
  void Failed(Time now) {
    std::lock_guard<std::mutex> lock(mutex_);
    wait_ = wait_.count() == 0 ? kFirstWait : std::min(wait_ * 2, kLongestWait);
    next_try_ = now + wait_;
  }
  void Succeeded() {
    std::lock_guard<std::mutex> lock(mutex_);
    wait_ = std::chrono::milliseconds(0);
    next_try_ = Time();
  }

 private:
  std::mutex mutex_;
  std::chrono::milliseconds wait_{0};
  Time next_try_;
};

// Gives a leased reader back to its pool.
class ReaderLease {
 public:
  explicit ReaderLease(soci::connection_pool& pool) : pool_(pool), position_(pool.lease()) {}
  ~ReaderLease() { pool_.give_back(position_); }
  ReaderLease(const ReaderLease&) = delete;
  ReaderLease& operator=(const ReaderLease&) = delete;
  soci::session& session() { return pool_.at(position_); }

 private:
  soci::connection_pool& pool_;
  std::size_t position_;
};

}  // namespace

struct Store::Impl {
  std::unique_ptr<Dialect> dialect;
  FieldCodec codec;

  auto RowToRequest() const {
    return [this](const soci::row& row) { return RequestFromRow(row, codec); };
  }
  std::mutex write_mutex;
  soci::session writer;
  std::unique_ptr<soci::connection_pool> readers;
  int schema_version = 0;
  ReconnectBackoff backoff;

  // Runs `body` on a pooled reader, reconnecting it once if needed.
  template <typename Body>
  auto Read(const std::string& what, Body&& body)
      -> decltype(body(std::declval<soci::session&>())) {
    ReaderLease lease(*readers);
    soci::session& sql = lease.session();
    return WithReconnect(
        what, sql, [&] { return body(sql); }, [] { return true; });
  }

  // Runs `attempt` on `sql`. When it fails because the connection is gone
  // (the server restarted or the network dropped it; not a lock wait or a
  // deadlock), reconnects `sql` if the back-off allows and, when
  // `retry_is_safe()` says so, runs `attempt` once more. Still down: the
  // original error, kUnavailable, at once.
  template <typename Attempt, typename RetryIsSafe>
  auto WithReconnect(const std::string& what, soci::session& sql, Attempt&& attempt,
                     RetryIsSafe&& retry_is_safe) -> decltype(attempt()) {
    try {
      return attempt();
    } catch (const soci::soci_error& error) {
      if (!IsLostConnection(error)) return StatusFromSociError(error, what);
      if (!Reconnect(sql) || !retry_is_safe()) return StatusFromSociError(error, what);
    } catch (const std::exception& error) {
      return Internal("store: " + what + " failed: " + error.what());
    }
    return Guarded(what, attempt);
  }

  // Opens `sql` again with its connection string and session settings.
  bool Reconnect(soci::session& sql) {
    const auto now = std::chrono::steady_clock::now();
    if (!backoff.MayTry(now)) return false;
    try {
      sql.reconnect();
      PrepareSession(sql, *dialect);
    } catch (const std::exception&) {
      backoff.Failed(now);
      return false;
    }
    backoff.Succeeded();
    return true;
  }
};

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

namespace {

// Applies every migration newer than the recorded version, each in its own
// write transaction, and returns the resulting version.
Result<int> ApplyMigrations(soci::session& sql, const Dialect& dialect) {
  RunAll(sql, dialect.CreateBookkeeping());
  int version = 0;
  soci::indicator indicator = soci::i_null;
  sql << "SELECT MAX(version) FROM schema_migrations", soci::into(version, indicator);
  if (indicator != soci::i_ok) version = 0;
  for (const auto& migration : MigrationsFor(std::string(dialect.migrations_folder()))) {
    if (migration.version <= version) continue;
    RunAll(sql, dialect.BeginWrite());
    try {
      for (const auto& statement : migration.statements) sql << statement;
      const std::string applied_at = FormatUtc(std::chrono::system_clock::now());
      sql << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:v, :n, :a)",
          soci::use(migration.version), soci::use(migration.name), soci::use(applied_at);
      sql << "COMMIT";
    } catch (...) {
      sql << "ROLLBACK";
      throw;
    }
    version = migration.version;
  }
  return version;
}

}  // namespace

Result<std::unique_ptr<Store>> Store::Open(const std::string& url, int read_connections,
                                           std::shared_ptr<const DataKeyring> keys) {
  auto dialect = DialectForUrl(url);
  if (!dialect.ok()) return dialect.status();
  if (read_connections < 1) return ValidationError("store needs at least one read connection");
  auto impl = std::make_unique<Impl>();
  impl->dialect = std::move(dialect.value());
  impl->codec = FieldCodec(std::move(keys));
  Status opened = Guarded("open", [&]() -> Status {
    impl->writer.open(url);
    PrepareSession(impl->writer, *impl->dialect);
    auto version = ApplyMigrations(impl->writer, *impl->dialect);
    if (!version.ok()) return version.status();
    impl->schema_version = *version;
    impl->readers = std::make_unique<soci::connection_pool>(read_connections);
    for (int i = 0; i < read_connections; ++i) {
      impl->readers->at(i).open(url);
      PrepareSession(impl->readers->at(i), *impl->dialect);
    }
    return Status::Ok();
  });
  if (!opened.ok()) return opened;
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

const DataKeyring* Store::data_keys() const {
  return impl_->codec.keys();
}

int Store::schema_version() const {
  return impl_->schema_version;
}

Result<RequestRecord> Store::GetRequest(const std::string& id) const {
  return impl_->Read("read request",
                     [&](soci::session& sql) { return ReadRequest(sql, id, impl_->codec); });
}

Result<TaskRecord> Store::GetTask(const std::string& id) const {
  return impl_->Read("read task", [&](soci::session& sql) { return ReadTask(sql, id); });
}

Result<std::vector<RequestRecord>> Store::ListRequests(const RequestFilter& filter) const {
  return impl_->Read(
      "list requests", [&](soci::session& sql) -> Result<std::vector<RequestRecord>> {
        const std::string status = filter.status ? std::string(ToString(*filter.status)) : "";
        const int any_status = filter.status ? 0 : 1;
        soci::rowset<soci::row> rows =
            (sql.prepare << "SELECT " << kRequestColumns
                         << " FROM requests WHERE (:any = 1 OR status = :status) ORDER BY "
                            "received_on DESC, created_at DESC, id LIMIT :limit OFFSET :offset",
             soci::use(any_status), soci::use(status), soci::use(filter.limit),
             soci::use(filter.offset));
        return Collect<RequestRecord>(rows, impl_->RowToRequest());
      });
}

Result<std::vector<TaskRecord>> Store::TasksOfRequest(const std::string& request_id) const {
  return impl_->Read("read tasks",
                     [&](soci::session& sql) { return ReadTasksOfRequest(sql, request_id); });
}

Result<std::vector<TaskRecord>> Store::TasksWithStatus(TaskStatus status) const {
  return impl_->Read("read tasks", [&](soci::session& sql) -> Result<std::vector<TaskRecord>> {
    const std::string name(ToString(status));
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT " << kTaskColumns
                     << " FROM tasks WHERE status = :status ORDER BY created_at, id",
         soci::use(name));
    return Collect<TaskRecord>(rows, TaskFromRow);
  });
}

Result<std::vector<ResultRecord>> Store::ResultsOfRequest(const std::string& request_id) const {
  return impl_->Read("read results", [&](soci::session& sql) -> Result<std::vector<ResultRecord>> {
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT r.task_id, r.collection, r.records, r.path, r.sha256, r.bytes "
                        "FROM task_results r JOIN tasks t ON t.id = r.task_id WHERE "
                        "t.request_id = :id ORDER BY t.source, r.collection",
         soci::use(request_id));
    return Collect<ResultRecord>(
        rows, [](const soci::row& row) -> Result<ResultRecord> { return ResultFromRow(row); });
  });
}

Result<std::vector<EventRecord>> Store::EventsOfRequest(const std::string& request_id) const {
  return impl_->Read("read events", [&](soci::session& sql) -> Result<std::vector<EventRecord>> {
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT " << kEventColumns
                     << " FROM events WHERE request_id = :id ORDER BY seq",
         soci::use(request_id));
    return Collect<EventRecord>(
        rows, [](const soci::row& row) -> Result<EventRecord> { return EventFromRow(row); });
  });
}

Result<std::vector<EventRecord>> Store::EventsAfter(int64_t after_seq, int limit) const {
  return impl_->Read("read events", [&](soci::session& sql) -> Result<std::vector<EventRecord>> {
    const long long after = after_seq;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT " << kEventColumns
                     << " FROM events WHERE seq > :after ORDER BY seq LIMIT :limit",
         soci::use(after), soci::use(limit));
    return Collect<EventRecord>(
        rows, [](const soci::row& row) -> Result<EventRecord> { return EventFromRow(row); });
  });
}

Result<std::vector<EventRecord>> Store::AccountEvents(int limit) const {
  return impl_->Read(
      "read account events", [&](soci::session& sql) -> Result<std::vector<EventRecord>> {
        soci::rowset<soci::row> rows =
            (sql.prepare << "SELECT " << kEventColumns
                         << " FROM events WHERE request_id IS NULL AND (kind LIKE "
                            "'user.%' OR kind LIKE 'token.%') ORDER BY seq DESC "
                            "LIMIT :limit",
             soci::use(limit));
        return Collect<EventRecord>(
            rows, [](const soci::row& row) -> Result<EventRecord> { return EventFromRow(row); });
      });
}

Result<std::vector<std::string>> Store::RequestsAwaitingBundle() const {
  return impl_->Read(
      "read requests awaiting a bundle",
      [&](soci::session& sql) -> Result<std::vector<std::string>> {
        soci::rowset<std::string> ids =
            (sql.prepare
             << "SELECT id FROM requests WHERE status = 'in_review' AND type = 'access' "
                "AND approved_at IS NOT NULL AND bundle_path IS NULL ORDER BY created_at");
        return std::vector<std::string>(ids.begin(), ids.end());
      });
}

Result<std::vector<std::string>> Store::RequestsAwaitingLetter() const {
  return impl_->Read(
      "read requests awaiting a letter",
      [&](soci::session& sql) -> Result<std::vector<std::string>> {
        soci::rowset<std::string> ids =
            (sql.prepare << "SELECT id FROM requests WHERE letter_path IS NULL AND purged_at IS "
                            "NULL AND (status = "
                            "'rejected' OR (status = 'completed' AND origin = 'agent' AND type IN "
                            "('erasure', 'rectification'))) ORDER BY created_at");
        return std::vector<std::string>(ids.begin(), ids.end());
      });
}

Result<std::vector<std::string>> Store::RequestsAwaitingExtensionLetter() const {
  return impl_->Read(
      "read requests awaiting an extension notice",
      [&](soci::session& sql) -> Result<std::vector<std::string>> {
        soci::rowset<std::string> ids =
            (sql.prepare
             << "SELECT id FROM requests WHERE extended_due_on IS NOT NULL "
                "AND extension_letter_path IS NULL AND purged_at IS NULL ORDER BY created_at");
        return std::vector<std::string>(ids.begin(), ids.end());
      });
}

Result<std::vector<std::string>> Store::RequestsWithSettledTasks() const {
  return impl_->Read(
      "read requests with settled tasks",
      [&](soci::session& sql) -> Result<std::vector<std::string>> {
        soci::rowset<std::string> ids =
            (sql.prepare
             << "SELECT r.id FROM requests r WHERE r.status = 'in_progress' AND NOT "
                "EXISTS (SELECT 1 FROM tasks t WHERE t.request_id = r.id AND t.status IN "
                "('pending', 'dispatched', 'running')) ORDER BY r.created_at");
        return std::vector<std::string>(ids.begin(), ids.end());
      });
}

Result<std::vector<OutcomeRecord>> Store::OutcomesOfRequest(const std::string& request_id) const {
  return impl_->Read(
      "read outcomes", [&](soci::session& sql) -> Result<std::vector<OutcomeRecord>> {
        soci::rowset<soci::row> rows =
            (sql.prepare
                 << "SELECT o.task_id, o.collection, o.kind, o.records, o.retained_until, "
                    "o.legal_basis, o.note FROM task_outcomes o JOIN tasks t ON t.id = o.task_id "
                    "WHERE t.request_id = :id ORDER BY t.round, t.source, o.position",
             soci::use(request_id));
        return Collect<OutcomeRecord>(rows, OutcomeFromRow);
      });
}

Result<std::vector<IdentityCheckRecord>> Store::IdentityChecksOf(
    const std::string& request_id) const {
  return impl_->Read(
      "read identity checks", [&](soci::session& sql) -> Result<std::vector<IdentityCheckRecord>> {
        soci::rowset<soci::row> rows =
            (sql.prepare << "SELECT id, request_id, at, actor, method, outcome, note FROM "
                            "identity_checks WHERE request_id = :id ORDER BY at, id",
             soci::use(request_id));
        return Collect<IdentityCheckRecord>(
            rows, [&](const soci::row& row) -> Result<IdentityCheckRecord> {
              return IdentityCheckFromRow(row, impl_->codec);
            });
      });
}

Result<std::vector<PauseRecord>> Store::PausesOf(const std::string& request_id) const {
  return impl_->Read("read pauses", [&](soci::session& sql) -> Result<std::vector<PauseRecord>> {
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT id, request_id, started_on, ended_on, reason, actor FROM pauses "
                        "WHERE request_id = :id ORDER BY started_on, id",
         soci::use(request_id));
    return Collect<PauseRecord>(
        rows, [&](const soci::row& row) { return PauseFromRow(row, impl_->codec); });
  });
}

Result<std::vector<ReviewDecisionRecord>> Store::ReviewDecisionsOf(
    const std::string& request_id) const {
  return impl_->Read(
      "read review decisions",
      [&](soci::session& sql) -> Result<std::vector<ReviewDecisionRecord>> {
        soci::rowset<soci::row> rows =
            (sql.prepare
                 << "SELECT id, request_id, task_id, collection, line, record_key, decision, "
                    "fields, reason, actor, at FROM review_decisions WHERE request_id = :id "
                    "ORDER BY position",
             soci::use(request_id));
        return Collect<ReviewDecisionRecord>(
            rows, [&](const soci::row& row) { return ReviewDecisionFromRow(row, impl_->codec); });
      });
}

Result<std::vector<HoldRecord>> Store::ListHolds(const HoldFilter& filter) const {
  return impl_->Read("list holds", [&](soci::session& sql) -> Result<std::vector<HoldRecord>> {
    const std::string status = filter.status ? std::string(ToString(*filter.status)) : "";
    const std::string request = filter.request_id.value_or("");
    const int any_status = filter.status ? 0 : 1, any_request = filter.request_id ? 0 : 1;
    soci::rowset<soci::row> rows =
        (sql.prepare
             << "SELECT " << kHoldColumns
             << " FROM holds WHERE (:any_status = 1 OR status = :status) AND "
                "(:any_request = 1 OR request_id = :request) ORDER BY retained_until, source, "
                "collection, id "
                "LIMIT :limit",
         soci::use(any_status), soci::use(status), soci::use(any_request), soci::use(request),
         soci::use(filter.limit));
    return Collect<HoldRecord>(rows, HoldFromRow);
  });
}

Result<std::vector<HoldRecord>> Store::HoldsEndedBefore(CivilDate today) const {
  return impl_->Read(
      "read ended holds", [&](soci::session& sql) -> Result<std::vector<HoldRecord>> {
        const std::string date = today.ToString();
        soci::rowset<soci::row> rows =
            (sql.prepare
                 << "SELECT " << kHoldColumns
                 << " FROM holds WHERE status = 'active' AND retained_until < :today ORDER BY "
                    "retained_until, id",
             soci::use(date));
        return Collect<HoldRecord>(rows, HoldFromRow);
      });
}

Result<std::vector<NotificationRecord>> Store::NotificationsDue(const std::string& now,
                                                                int limit) const {
  return impl_->Read(
      "read due notifications", [&](soci::session& sql) -> Result<std::vector<NotificationRecord>> {
        soci::rowset<soci::row> rows =
            (sql.prepare << "SELECT " << kNotificationColumns
                         << " FROM notifications WHERE status = 'pending' AND next_attempt_at <= "
                            ":now ORDER BY created_at, id LIMIT :limit",
             soci::use(now), soci::use(limit));
        return Collect<NotificationRecord>(rows, NotificationFromRow);
      });
}

Result<std::vector<NotificationRecord>> Store::ListNotifications(
    const NotificationFilter& filter) const {
  return impl_->Read(
      "list notifications", [&](soci::session& sql) -> Result<std::vector<NotificationRecord>> {
        const std::string request = filter.request_id.value_or("");
        const int any_request = filter.request_id ? 0 : 1;
        soci::rowset<soci::row> rows =
            (sql.prepare << "SELECT " << kNotificationColumns
                         << " FROM notifications WHERE (:any_request = 1 OR request_id = :request) "
                            "ORDER BY created_at DESC, id LIMIT :limit",
             soci::use(any_request), soci::use(request), soci::use(filter.limit));
        return Collect<NotificationRecord>(rows, NotificationFromRow);
      });
}

namespace {
// The statuses of requests still to be answered; IsFinal() says the same.
constexpr const char* kOpenStatuses =
    "('received', 'awaiting_identity', 'in_progress', 'in_review')";
}  // namespace

Result<std::vector<RequestRecord>> Store::OpenRequests() const {
  return impl_->Read(
      "read open requests", [&](soci::session& sql) -> Result<std::vector<RequestRecord>> {
        soci::rowset<soci::row> rows =
            (sql.prepare << "SELECT " << kRequestColumns << " FROM requests WHERE status IN "
                         << kOpenStatuses << " ORDER BY received_on, id");
        return Collect<RequestRecord>(rows, impl_->RowToRequest());
      });
}

Result<std::vector<TaskRecord>> Store::FailedTasksOfOpenRequests() const {
  return impl_->Read(
      "read failed tasks", [&](soci::session& sql) -> Result<std::vector<TaskRecord>> {
        soci::rowset<soci::row> rows =
            (sql.prepare << "SELECT " << kTaskColumns
                         << " FROM tasks WHERE status = 'failed' AND request_id IN (SELECT id FROM "
                            "requests WHERE status IN "
                         << kOpenStatuses << ") ORDER BY source, request_id, id");
        return Collect<TaskRecord>(rows, TaskFromRow);
      });
}

Result<std::vector<RequestRecord>> Store::RequestsReceivedBetween(CivilDate from,
                                                                  CivilDate to) const {
  return impl_->Read(
      "read requests received", [&](soci::session& sql) -> Result<std::vector<RequestRecord>> {
        const std::string first = from.ToString();
        const std::string last = to.ToString();
        soci::rowset<soci::row> rows =
            (sql.prepare << "SELECT " << kRequestColumns
                         << " FROM requests WHERE received_on >= :first AND received_on <= :last "
                            "ORDER BY received_on, id",
             soci::use(first), soci::use(last));
        return Collect<RequestRecord>(rows, impl_->RowToRequest());
      });
}

Result<std::vector<RequestRecord>> Store::RequestsClosedBetween(const std::string& from,
                                                                const std::string& until) const {
  return impl_->Read(
      "read requests closed", [&](soci::session& sql) -> Result<std::vector<RequestRecord>> {
        // Closed requests are found through the status index; completed_at has none.
        soci::rowset<soci::row> rows =
            (sql.prepare << "SELECT " << kRequestColumns
                         << " FROM requests WHERE status IN ('completed', 'rejected', 'cancelled') "
                            "AND completed_at >= :from AND completed_at < :until "
                            "ORDER BY completed_at, id",
             soci::use(from), soci::use(until));
        return Collect<RequestRecord>(rows, impl_->RowToRequest());
      });
}

Result<std::vector<RequestRecord>> Store::RequestsExtendedBetween(const std::string& from,
                                                                  const std::string& until) const {
  return impl_->Read(
      "read requests extended", [&](soci::session& sql) -> Result<std::vector<RequestRecord>> {
        // By the requests_by_extended index; once per dashboard or report.
        soci::rowset<soci::row> rows =
            (sql.prepare << "SELECT " << kRequestColumns
                         << " FROM requests WHERE extended_at >= :from AND extended_at < :until "
                            "ORDER BY extended_at, id",
             soci::use(from), soci::use(until));
        return Collect<RequestRecord>(rows, impl_->RowToRequest());
      });
}

Result<UserRecord> Store::GetUser(const std::string& name) const {
  return impl_->Read("read user", [&](soci::session& sql) { return ReadUser(sql, name); });
}

Result<std::vector<UserRecord>> Store::ListUsers() const {
  return impl_->Read("list users", [&](soci::session& sql) { return ReadUsers(sql); });
}

Result<ApiTokenRecord> Store::GetApiTokenByHash(const std::string& token_sha256) const {
  return impl_->Read("read token",
                     [&](soci::session& sql) { return ReadApiTokenByHash(sql, token_sha256); });
}

Result<std::vector<ApiTokenRecord>> Store::ApiTokensOf(const std::string& user_name) const {
  return impl_->Read("list tokens",
                     [&](soci::session& sql) { return ReadApiTokensOf(sql, user_name); });
}

Result<SessionRecord> Store::GetSessionByHash(const std::string& token_sha256) const {
  return impl_->Read("read session",
                     [&](soci::session& sql) { return ReadSessionByHash(sql, token_sha256); });
}

Result<DeliveryLinkRecord> Store::GetDeliveryLink(const std::string& token_sha256) const {
  return impl_->Read("read delivery link",
                     [&](soci::session& sql) { return ReadDeliveryLink(sql, token_sha256); });
}

Result<std::vector<DeliveryLinkRecord>> Store::DeliveryLinksOf(
    const std::string& request_id) const {
  return impl_->Read("list delivery links",
                     [&](soci::session& sql) { return ReadDeliveryLinksOf(sql, request_id); });
}

Status Store::Write(const std::function<Status(StoreWriter&)>& body) {
  std::lock_guard<std::mutex> lock(impl_->write_mutex);
  soci::session& sql = impl_->writer;
  bool body_ran = false;
  auto attempt = [&]() -> Status {
    RunAll(sql, impl_->dialect->BeginWrite());
    Status status;
    try {
      const auto writer = NewSessionWriter(sql, impl_->codec);
      body_ran = true;
      status = body(*writer);
    } catch (...) {
      sql << "ROLLBACK";
      throw;
    }
    // A StoreWriter call that lost the connection returns kUnavailable; the
    // ROLLBACK that follows then throws the lost connection, which
    // WithReconnect recognises.
    sql << (status.ok() ? "COMMIT" : "ROLLBACK");
    return status;
  };
  // Retried only when the connection was found lost before the body ran,
  // typically at BEGIN on a session whose server restarted since its last
  // use: nothing of the attempt reached the server, and the body, which may
  // have effects outside the transaction (what it tells its caller), has not
  // run yet. A connection lost inside the body or at COMMIT is not retried:
  // the server rolled back or may have committed, and the caller gets
  // kUnavailable as for any other failed write.
  return impl_->WithReconnect("write", sql, attempt, [&] { return !body_ran; });
}

Result<std::vector<std::string>> Store::RequestsDueForPurge(const std::string& before,
                                                            int limit) const {
  return impl_->Read("read requests due for purge",
                     [&](soci::session& sql) -> Result<std::vector<std::string>> {
                       std::vector<std::string> ids;
                       soci::rowset<std::string> rows =
                           (sql.prepare << "SELECT id FROM requests WHERE purged_at IS NULL AND "
                                           "status IN ('completed', 'rejected', 'cancelled') AND "
                                           "completed_at IS NOT NULL AND completed_at < :before "
                                           "ORDER BY completed_at, id LIMIT :limit",
                            soci::use(before), soci::use(limit));
                       for (const auto& id : rows) ids.push_back(id);
                       return ids;
                     });
}

Result<std::vector<std::string>> Store::PurgedRequestsKeepingSubject() const {
  return impl_->Read("read purged requests keeping their subject",
                     [&](soci::session& sql) -> Result<std::vector<std::string>> {
                       std::vector<std::string> ids;
                       soci::rowset<std::string> rows =
                           (sql.prepare << "SELECT id FROM requests r WHERE subject_kept = 1 AND "
                                           "NOT EXISTS (SELECT 1 FROM holds h WHERE h.request_id "
                                           "= r.id AND h.status = 'active') ORDER BY id");
                       for (const auto& id : rows) ids.push_back(id);
                       return ids;
                     });
}

Status Store::CompactAfterPurge() {
  std::lock_guard<std::mutex> lock(impl_->write_mutex);
  return Guarded("compact after purge", [&]() -> Status {
    RunAll(impl_->writer, impl_->dialect->CompactAfterPurge());
    return Status::Ok();
  });
}

Result<int> Store::ResealFields() {
  const DataKeyring* keys = impl_->codec.keys();
  if (keys == nullptr) return Internal("store: no data key to seal with");
  // Every column FieldCodec seals (session_writer.cc), by table.
  static const std::vector<std::pair<std::string, std::vector<std::string>>> kSealed = {
      {"requests",
       {"subject", "note", "corrections", "closing_reason", "consistency", "extension_reason"}},
      {"identity_checks", {"note"}},
      {"pauses", {"reason"}},
      {"review_decisions", {"reason"}},
  };
  int rewritten = 0;
  DSR_RETURN_IF_ERROR(Write([&](StoreWriter&) -> Status {
    return Guarded("reseal fields", [&]() -> Status {
      soci::session& sql = impl_->writer;
      for (const auto& [table, columns] : kSealed) {
        for (const auto& column : columns) {
          std::vector<std::pair<std::string, std::string>> changes;
          {  // read all first: the statement ends before the updates
            soci::rowset<soci::row> rows =
                (sql.prepare << "SELECT id, " << column << " FROM " << table << " WHERE " << column
                             << " IS NOT NULL");
            for (const auto& row : rows) {
              const std::string id = TextColumn(row, "id");
              const std::string stored = TextColumn(row, column);
              if (SealedKeyId(stored) == keys->current_id()) continue;
              auto plain = impl_->codec.Open(stored, table + "." + column, id);
              if (!plain.ok()) return plain.status();
              changes.emplace_back(id, impl_->codec.Seal(*plain, table + "." + column, id));
            }
          }
          for (const auto& [id, sealed] : changes) {
            sql << "UPDATE " << table << " SET " << column << " = :value WHERE id = :id",
                soci::use(sealed), soci::use(id);
            ++rewritten;
          }
        }
      }
      return Status::Ok();
    });
  }));
  return rewritten;
}

Status VerifyAuditChain(const Store& store) {
  std::string expected_prev(kGenesisHash);
  int64_t after = 0;
  while (true) {
    auto page = store.EventsAfter(after, 1000);
    if (!page.ok()) return page.status();
    if (page->empty()) return Status::Ok();
    for (const auto& event : *page) {
      if (event.prev_hash != expected_prev) {
        return Internal("audit chain broken at event " + std::to_string(event.seq) +
                        ": it does not link to the event before it");
      }
      if (ChainHash(event) != event.hash) {
        return Internal("audit chain broken at event " + std::to_string(event.seq) +
                        ": its content does not match its hash");
      }
      expected_prev = event.hash;
      after = event.seq;
    }
  }
}

}  // namespace dsr::store
