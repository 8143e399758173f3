// SQLite: the embedded default store.
#include "coordinator/store/dialect.h"

namespace dsr::store {
namespace {

class SqliteDialect final : public Dialect {
 public:
  std::string_view backend() const override { return "sqlite3"; }
  std::string_view migrations_folder() const override { return "sqlite"; }
  std::vector<std::string> SessionSetup() const override {
    // WAL lets readers run beside the single writer; FULL makes each commit
    // durable (a request accepted with 201 survives a power cut).
    // secure_delete overwrites deleted content (a purged request's fields) in
    // the database file instead of leaving it in free pages.
    return {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON",
            "PRAGMA secure_delete=ON"};
  }
  // The WAL still holds the pages as they were before a purge: copy them back
  // and cut the log to zero bytes.
  std::vector<std::string> CompactAfterPurge() const override {
    return {"PRAGMA wal_checkpoint(TRUNCATE)"};
  }
  // IMMEDIATE takes the database's one write lock at BEGIN.
  std::vector<std::string> BeginWrite() const override { return {"BEGIN IMMEDIATE"}; }
  std::string_view BeginRead() const override { return "BEGIN"; }
  std::vector<std::string> CreateBookkeeping() const override {
    return {
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
        "name TEXT NOT NULL, applied_at TEXT NOT NULL)"};
  }
};

}  // namespace

std::unique_ptr<Dialect> NewSqliteDialect() {
  return std::make_unique<SqliteDialect>();
}

}  // namespace dsr::store
