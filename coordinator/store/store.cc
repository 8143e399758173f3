#include "coordinator/store/store.h"

#include <soci/soci.h>

#include <mutex>

#include "common/clock.h"
#include "coordinator/store/dialect.h"
#include "coordinator/store/migrations.h"
#include "coordinator/store/sql_rows.h"

namespace dsr::store {
namespace {

constexpr const char* kRequestColumns =
    "id, type, status, subject, language, channel, note, received_on, due_on, created_at, "
    "updated_at, completed_at, bundle_path, bundle_sha256, bundle_bytes";
constexpr const char* kTaskColumns =
    "id, request_id, source, action, status, attempts, worker, error_code, error_message, "
    "records, created_at, updated_at";
constexpr const char* kEventColumns = "seq, request_id, at, kind, actor, details, prev_hash, hash";

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
    auto record = convert(row);
    if (!record.ok()) return record.status();
    records.push_back(std::move(record.value()));
  }
  return records;
}

// Reads shared by the pooled readers and the writer's transaction.
Result<RequestRecord> ReadRequest(soci::session& sql, const std::string& id) {
  soci::row row;
  sql << "SELECT " << kRequestColumns << " FROM requests WHERE id = :id", soci::use(id),
      soci::into(row);
  if (!sql.got_data()) return NotFound("no request with id " + id);
  return RequestFromRow(row);
}

Result<TaskRecord> ReadTask(soci::session& sql, const std::string& id) {
  soci::row row;
  sql << "SELECT " << kTaskColumns << " FROM tasks WHERE id = :id", soci::use(id), soci::into(row);
  if (!sql.got_data()) return NotFound("no task with id " + id);
  return TaskFromRow(row);
}

Result<std::vector<TaskRecord>> ReadTasksOfRequest(soci::session& sql, const std::string& id) {
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT " << kTaskColumns
                   << " FROM tasks WHERE request_id = :id ORDER BY source, id",
       soci::use(id));
  return Collect<TaskRecord>(rows, TaskFromRow);
}

class SessionWriter final : public StoreWriter {
 public:
  explicit SessionWriter(soci::session& sql) : sql_(sql) {}

  Status InsertRequest(const RequestRecord& r) override {
    return Guarded("insert request", [&]() -> Status {
      const std::string type(ToString(r.type)), status(ToString(r.status));
      const std::string subject = SubjectToJson(r.subject);
      const std::string received = r.received_on.ToString(), due = r.due_on.ToString();
      NullableText channel(r.channel), note(r.note), completed(r.completed_at);
      sql_ << "INSERT INTO requests (id, type, status, subject, language, channel, note, "
              "received_on, due_on, created_at, updated_at, completed_at) VALUES (:id, :type, "
              ":status, :subject, :language, :channel, :note, :received, :due, :created, "
              ":updated, :completed)",
          soci::use(r.id), soci::use(type), soci::use(status), soci::use(subject),
          soci::use(r.language), soci::use(channel.value, channel.indicator),
          soci::use(note.value, note.indicator), soci::use(received), soci::use(due),
          soci::use(r.created_at), soci::use(r.updated_at),
          soci::use(completed.value, completed.indicator);
      return Status::Ok();
    });
  }

  Status UpdateRequest(const RequestRecord& r) override {
    return Guarded("update request", [&]() -> Status {
      const std::string status(ToString(r.status)), due = r.due_on.ToString();
      NullableText completed(r.completed_at);
      NullableText path(r.bundle ? std::optional<std::string>(r.bundle->path) : std::nullopt);
      NullableText sha(r.bundle ? std::optional<std::string>(r.bundle->sha256) : std::nullopt);
      NullableInt bytes(r.bundle ? std::optional<int64_t>(r.bundle->bytes) : std::nullopt);
      soci::statement update =
          (sql_.prepare << "UPDATE requests SET status = :status, due_on = :due, updated_at = "
                           ":updated, completed_at = :completed, bundle_path = :path, "
                           "bundle_sha256 = :sha, bundle_bytes = :bytes WHERE id = :id",
           soci::use(status), soci::use(due), soci::use(r.updated_at),
           soci::use(completed.value, completed.indicator), soci::use(path.value, path.indicator),
           soci::use(sha.value, sha.indicator), soci::use(bytes.value, bytes.indicator),
           soci::use(r.id));
      update.execute(true);
      if (update.get_affected_rows() != 1) return NotFound("no request with id " + r.id);
      return Status::Ok();
    });
  }

  Status InsertTask(const TaskRecord& t) override {
    return Guarded("insert task", [&]() -> Status {
      const std::string action(ToString(t.action)), status(ToString(t.status));
      NullableText worker(t.worker), code(t.error_code), message(t.error_message);
      NullableInt records(t.records);
      sql_ << "INSERT INTO tasks (id, request_id, source, action, status, attempts, worker, "
              "error_code, error_message, records, created_at, updated_at) VALUES (:id, :request, "
              ":source, :action, :status, :attempts, :worker, :code, :message, :records, "
              ":created, :updated)",
          soci::use(t.id), soci::use(t.request_id), soci::use(t.source), soci::use(action),
          soci::use(status), soci::use(t.attempts), soci::use(worker.value, worker.indicator),
          soci::use(code.value, code.indicator), soci::use(message.value, message.indicator),
          soci::use(records.value, records.indicator), soci::use(t.created_at),
          soci::use(t.updated_at);
      return Status::Ok();
    });
  }

  Status UpdateTask(const TaskRecord& t) override {
    return Guarded("update task", [&]() -> Status {
      const std::string status(ToString(t.status));
      NullableText worker(t.worker), code(t.error_code), message(t.error_message);
      NullableInt records(t.records);
      soci::statement update =
          (sql_.prepare << "UPDATE tasks SET status = :status, attempts = :attempts, worker = "
                           ":worker, error_code = :code, error_message = :message, records = "
                           ":records, updated_at = :updated WHERE id = :id",
           soci::use(status), soci::use(t.attempts), soci::use(worker.value, worker.indicator),
           soci::use(code.value, code.indicator), soci::use(message.value, message.indicator),
           soci::use(records.value, records.indicator), soci::use(t.updated_at), soci::use(t.id));
      update.execute(true);
      if (update.get_affected_rows() != 1) return NotFound("no task with id " + t.id);
      return Status::Ok();
    });
  }

  Status ReplaceResults(const std::string& task_id,
                        const std::vector<ResultRecord>& results) override {
    return Guarded("replace task results", [&]() -> Status {
      sql_ << "DELETE FROM task_results WHERE task_id = :task", soci::use(task_id);
      for (const auto& result : results) {
        const long long records = result.records, bytes = result.bytes;
        sql_ << "INSERT INTO task_results (task_id, collection, records, path, sha256, bytes) "
                "VALUES (:task, :collection, :records, :path, :sha, :bytes)",
            soci::use(task_id), soci::use(result.collection), soci::use(records),
            soci::use(result.path), soci::use(result.sha256), soci::use(bytes);
      }
      return Status::Ok();
    });
  }

  Status AppendEvent(EventRecord event) override {
    return Guarded("append audit event", [&]() -> Status {
      std::string last_hash;
      soci::indicator last_indicator = soci::i_null;
      sql_ << "SELECT hash FROM events ORDER BY seq DESC LIMIT 1",
          soci::into(last_hash, last_indicator);
      event.prev_hash =
          sql_.got_data() && last_indicator == soci::i_ok ? last_hash : std::string(kGenesisHash);
      event.hash = ChainHash(event);
      NullableText request(event.request_id);
      sql_ << "INSERT INTO events (request_id, at, kind, actor, details, prev_hash, hash) VALUES "
              "(:request, :at, :kind, :actor, :details, :prev, :hash)",
          soci::use(request.value, request.indicator), soci::use(event.at), soci::use(event.kind),
          soci::use(event.actor), soci::use(event.details), soci::use(event.prev_hash),
          soci::use(event.hash);
      return Status::Ok();
    });
  }

  Result<RequestRecord> GetRequest(const std::string& id) override {
    return Guarded("read request", [&] { return ReadRequest(sql_, id); });
  }
  Result<TaskRecord> GetTask(const std::string& id) override {
    return Guarded("read task", [&] { return ReadTask(sql_, id); });
  }
  Result<std::vector<TaskRecord>> TasksOfRequest(const std::string& request_id) override {
    return Guarded("read tasks", [&] { return ReadTasksOfRequest(sql_, request_id); });
  }

 private:
  soci::session& sql_;
};

}  // namespace

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

void PrepareSession(soci::session& sql, const Dialect& dialect) {
  for (const auto& statement : dialect.SessionSetup()) sql << statement;
}

// Applies every migration newer than the recorded version, each in its own
// write transaction, and returns the resulting version.
Result<int> ApplyMigrations(soci::session& sql, const Dialect& dialect) {
  sql << dialect.CreateMigrationsTable();
  int version = 0;
  soci::indicator indicator = soci::i_null;
  sql << "SELECT MAX(version) FROM schema_migrations", soci::into(version, indicator);
  if (indicator != soci::i_ok) version = 0;
  for (const auto& migration : MigrationsFor(std::string(dialect.migrations_folder()))) {
    if (migration.version <= version) continue;
    sql << dialect.BeginWrite();
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
        (sql.prepare << "SELECT r.id FROM requests r WHERE r.status = 'in_progress' AND "
                        "r.type = 'access' AND r.bundle_path IS NULL AND NOT EXISTS (SELECT 1 "
                        "FROM tasks t WHERE t.request_id = r.id AND t.status <> 'succeeded') "
                        "ORDER BY r.created_at");
    return std::vector<std::string>(ids.begin(), ids.end());
  });
}

Status Store::Write(const std::function<Status(StoreWriter&)>& body) {
  std::lock_guard<std::mutex> lock(impl_->write_mutex);
  soci::session& sql = impl_->writer;
  return Guarded("write", [&]() -> Status {
    sql << impl_->dialect->BeginWrite();
    Status status;
    try {
      SessionWriter writer(sql);
      status = body(writer);
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
