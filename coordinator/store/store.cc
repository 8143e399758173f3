#include "coordinator/store/store.h"

#include <soci/soci.h>

#include <mutex>

#include "common/clock.h"
#include "coordinator/store/dialect.h"
#include "coordinator/store/migrations.h"
#include "coordinator/store/store_internal.h"

namespace dsr::store {
struct Store::Impl {
  std::unique_ptr<Dialect> dialect;
  std::mutex write_mutex;
  soci::session writer;
  std::unique_ptr<soci::connection_pool> readers;
  int schema_version = 0;
};

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

namespace {

void RunAll(soci::session& sql, const std::vector<std::string>& statements) {
  for (const auto& statement : statements) sql << statement;
}

void PrepareSession(soci::session& sql, const Dialect& dialect) {
  RunAll(sql, dialect.SessionSetup());
}

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

Result<std::unique_ptr<Store>> Store::Open(const std::string& url, int read_connections) {
  auto dialect = DialectForUrl(url);
  if (!dialect.ok()) return dialect.status();
  if (read_connections < 1) return ValidationError("store needs at least one read connection");
  auto impl = std::make_unique<Impl>();
  impl->dialect = std::move(dialect.value());
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

int Store::schema_version() const {
  return impl_->schema_version;
}

Result<RequestRecord> Store::GetRequest(const std::string& id) const {
  return Guarded("read request", [&] {
    soci::session sql(*impl_->readers);
    return ReadRequest(sql, id);
  });
}

Result<TaskRecord> Store::GetTask(const std::string& id) const {
  return Guarded("read task", [&] {
    soci::session sql(*impl_->readers);
    return ReadTask(sql, id);
  });
}

Result<std::vector<RequestRecord>> Store::ListRequests(const RequestFilter& filter) const {
  return Guarded("list requests", [&]() -> Result<std::vector<RequestRecord>> {
    soci::session sql(*impl_->readers);
    const std::string status = filter.status ? std::string(ToString(*filter.status)) : "";
    const int any_status = filter.status ? 0 : 1;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT " << kRequestColumns
                     << " FROM requests WHERE (:any = 1 OR status = :status) ORDER BY "
                        "received_on DESC, created_at DESC, id LIMIT :limit OFFSET :offset",
         soci::use(any_status), soci::use(status), soci::use(filter.limit),
         soci::use(filter.offset));
    return Collect<RequestRecord>(rows, RequestFromRow);
  });
}

Result<std::vector<TaskRecord>> Store::TasksOfRequest(const std::string& request_id) const {
  return Guarded("read tasks", [&] {
    soci::session sql(*impl_->readers);
    return ReadTasksOfRequest(sql, request_id);
  });
}

Result<std::vector<TaskRecord>> Store::TasksWithStatus(TaskStatus status) const {
  return Guarded("read tasks", [&]() -> Result<std::vector<TaskRecord>> {
    soci::session sql(*impl_->readers);
    const std::string name(ToString(status));
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT " << kTaskColumns
                     << " FROM tasks WHERE status = :status ORDER BY created_at, id",
         soci::use(name));
    return Collect<TaskRecord>(rows, TaskFromRow);
  });
}

Result<std::vector<ResultRecord>> Store::ResultsOfRequest(const std::string& request_id) const {
  return Guarded("read results", [&]() -> Result<std::vector<ResultRecord>> {
    soci::session sql(*impl_->readers);
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
  return Guarded("read events", [&]() -> Result<std::vector<EventRecord>> {
    soci::session sql(*impl_->readers);
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT " << kEventColumns
                     << " FROM events WHERE request_id = :id ORDER BY seq",
         soci::use(request_id));
    return Collect<EventRecord>(
        rows, [](const soci::row& row) -> Result<EventRecord> { return EventFromRow(row); });
  });
}

Result<std::vector<EventRecord>> Store::EventsAfter(int64_t after_seq, int limit) const {
  return Guarded("read events", [&]() -> Result<std::vector<EventRecord>> {
    soci::session sql(*impl_->readers);
    const long long after = after_seq;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT " << kEventColumns
                     << " FROM events WHERE seq > :after ORDER BY seq LIMIT :limit",
         soci::use(after), soci::use(limit));
    return Collect<EventRecord>(
        rows, [](const soci::row& row) -> Result<EventRecord> { return EventFromRow(row); });
  });
}

Result<std::vector<std::string>> Store::RequestsAwaitingBundle() const {
  return Guarded("read requests awaiting a bundle", [&]() -> Result<std::vector<std::string>> {
    soci::session sql(*impl_->readers);
    soci::rowset<std::string> ids =
        (sql.prepare << "SELECT id FROM requests WHERE status = 'in_review' AND type = 'access' "
                        "AND approved_at IS NOT NULL AND bundle_path IS NULL ORDER BY created_at");
    return std::vector<std::string>(ids.begin(), ids.end());
  });
}

Result<std::vector<std::string>> Store::RequestsAwaitingLetter() const {
  return Guarded("read requests awaiting a letter", [&]() -> Result<std::vector<std::string>> {
    soci::session sql(*impl_->readers);
    soci::rowset<std::string> ids =
        (sql.prepare << "SELECT id FROM requests WHERE letter_path IS NULL AND (status = "
                        "'rejected' OR (status = 'completed' AND origin = 'agent' AND type IN "
                        "('erasure', 'rectification'))) ORDER BY created_at");
    return std::vector<std::string>(ids.begin(), ids.end());
  });
}

Result<std::vector<std::string>> Store::RequestsAwaitingExtensionLetter() const {
  return Guarded("read requests awaiting an extension notice",
                 [&]() -> Result<std::vector<std::string>> {
                   soci::session sql(*impl_->readers);
                   soci::rowset<std::string> ids =
                       (sql.prepare << "SELECT id FROM requests WHERE extended_due_on IS NOT NULL "
                                       "AND extension_letter_path IS NULL ORDER BY created_at");
                   return std::vector<std::string>(ids.begin(), ids.end());
                 });
}

Result<std::vector<std::string>> Store::RequestsWithSettledTasks() const {
  return Guarded("read requests with settled tasks", [&]() -> Result<std::vector<std::string>> {
    soci::session sql(*impl_->readers);
    soci::rowset<std::string> ids =
        (sql.prepare << "SELECT r.id FROM requests r WHERE r.status = 'in_progress' AND NOT "
                        "EXISTS (SELECT 1 FROM tasks t WHERE t.request_id = r.id AND t.status IN "
                        "('pending', 'dispatched', 'running')) ORDER BY r.created_at");
    return std::vector<std::string>(ids.begin(), ids.end());
  });
}

Result<std::vector<OutcomeRecord>> Store::OutcomesOfRequest(const std::string& request_id) const {
  return Guarded("read outcomes", [&]() -> Result<std::vector<OutcomeRecord>> {
    soci::session sql(*impl_->readers);
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
  return Guarded("read identity checks", [&]() -> Result<std::vector<IdentityCheckRecord>> {
    soci::session sql(*impl_->readers);
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT id, request_id, at, actor, method, outcome, note FROM "
                        "identity_checks WHERE request_id = :id ORDER BY at, id",
         soci::use(request_id));
    return Collect<IdentityCheckRecord>(rows,
                                        [](const soci::row& row) -> Result<IdentityCheckRecord> {
                                          return IdentityCheckFromRow(row);
                                        });
  });
}

Result<std::vector<PauseRecord>> Store::PausesOf(const std::string& request_id) const {
  return Guarded("read pauses", [&]() -> Result<std::vector<PauseRecord>> {
    soci::session sql(*impl_->readers);
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT id, request_id, started_on, ended_on, reason, actor FROM pauses "
                        "WHERE request_id = :id ORDER BY started_on, id",
         soci::use(request_id));
    return Collect<PauseRecord>(rows, PauseFromRow);
  });
}

Result<std::vector<ReviewDecisionRecord>> Store::ReviewDecisionsOf(
    const std::string& request_id) const {
  return Guarded("read review decisions", [&]() -> Result<std::vector<ReviewDecisionRecord>> {
    soci::session sql(*impl_->readers);
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT id, request_id, task_id, collection, line, record_key, decision, "
                        "fields, reason, actor, at FROM review_decisions WHERE request_id = :id "
                        "ORDER BY position",
         soci::use(request_id));
    return Collect<ReviewDecisionRecord>(rows, ReviewDecisionFromRow);
  });
}

Result<std::vector<HoldRecord>> Store::ListHolds(const HoldFilter& filter) const {
  return Guarded("list holds", [&]() -> Result<std::vector<HoldRecord>> {
    soci::session sql(*impl_->readers);
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
  return Guarded("read ended holds", [&]() -> Result<std::vector<HoldRecord>> {
    soci::session sql(*impl_->readers);
    const std::string date = today.ToString();
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT " << kHoldColumns
                     << " FROM holds WHERE status = 'active' AND retained_until < :today ORDER BY "
                        "retained_until, id",
         soci::use(date));
    return Collect<HoldRecord>(rows, HoldFromRow);
  });
}

Result<std::vector<NotificationRecord>> Store::NotificationsDue(const std::string& now,
                                                                int limit) const {
  return Guarded("read due notifications", [&]() -> Result<std::vector<NotificationRecord>> {
    soci::session sql(*impl_->readers);
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
  return Guarded("list notifications", [&]() -> Result<std::vector<NotificationRecord>> {
    soci::session sql(*impl_->readers);
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
  return Guarded("read open requests", [&]() -> Result<std::vector<RequestRecord>> {
    soci::session sql(*impl_->readers);
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT " << kRequestColumns << " FROM requests WHERE status IN "
                     << kOpenStatuses << " ORDER BY received_on, id");
    return Collect<RequestRecord>(rows, RequestFromRow);
  });
}

Result<std::vector<TaskRecord>> Store::FailedTasksOfOpenRequests() const {
  return Guarded("read failed tasks", [&]() -> Result<std::vector<TaskRecord>> {
    soci::session sql(*impl_->readers);
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
  return Guarded("read requests received", [&]() -> Result<std::vector<RequestRecord>> {
    soci::session sql(*impl_->readers);
    const std::string first = from.ToString();
    const std::string last = to.ToString();
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT " << kRequestColumns
                     << " FROM requests WHERE received_on >= :first AND received_on <= :last "
                        "ORDER BY received_on, id",
         soci::use(first), soci::use(last));
    return Collect<RequestRecord>(rows, RequestFromRow);
  });
}

Result<std::vector<RequestRecord>> Store::RequestsClosedBetween(const std::string& from,
                                                                const std::string& until) const {
  return Guarded("read requests closed", [&]() -> Result<std::vector<RequestRecord>> {
    soci::session sql(*impl_->readers);
    // Closed requests are found through the status index; completed_at has none.
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT " << kRequestColumns
                     << " FROM requests WHERE status IN ('completed', 'rejected', 'cancelled') "
                        "AND completed_at >= :from AND completed_at < :until "
                        "ORDER BY completed_at, id",
         soci::use(from), soci::use(until));
    return Collect<RequestRecord>(rows, RequestFromRow);
  });
}

Result<std::vector<RequestRecord>> Store::RequestsExtendedBetween(const std::string& from,
                                                                  const std::string& until) const {
  return Guarded("read requests extended", [&]() -> Result<std::vector<RequestRecord>> {
    soci::session sql(*impl_->readers);
    // By the requests_by_extended index; once per dashboard or report.
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT " << kRequestColumns
                     << " FROM requests WHERE extended_at >= :from AND extended_at < :until "
                        "ORDER BY extended_at, id",
         soci::use(from), soci::use(until));
    return Collect<RequestRecord>(rows, RequestFromRow);
  });
}

Status Store::Write(const std::function<Status(StoreWriter&)>& body) {
  std::lock_guard<std::mutex> lock(impl_->write_mutex);
  soci::session& sql = impl_->writer;
  return Guarded("write", [&]() -> Status {
    RunAll(sql, impl_->dialect->BeginWrite());
    Status status;
    try {
      const auto writer = NewSessionWriter(sql);
      status = body(*writer);
    } catch (...) {
      sql << "ROLLBACK";
      throw;
    }
    sql << (status.ok() ? "COMMIT" : "ROLLBACK");
    return status;
  });
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
