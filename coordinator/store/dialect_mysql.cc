// MariaDB/MySQL: the production store, through SOCI's mysql backend
// ("mysql://db=dsr host=… port=3306 user=dsr password=… charset=utf8mb4").
#include "coordinator/store/dialect.h"

namespace dsr::store {
namespace {

class MysqlDialect final : public Dialect {
 public:
  std::string_view backend() const override { return "mysql"; }
  std::string_view migrations_folder() const override { return "mysql"; }

  // Each setting is stated rather than taken from the server's defaults,
  // which an operator may have changed:
  // - strict mode, so that a value too long for its column is an error, not
  //   silently cut; NO_ENGINE_SUBSTITUTION, so that a server without InnoDB
  //   refuses the tables instead of making them non-transactional;
  // - autocommit, so that a pooled reader's single SELECTs never hold a
  //   snapshot open between calls and always see the latest commit;
  // - REPEATABLE READ: a transaction reads one snapshot, as on SQLite;
  // - UTC, so that nothing the server computes depends on where it runs
  //   (the store itself keeps RFC 3339 UTC text).
  std::vector<std::string> SessionSetup() const override {
    return {"SET NAMES utf8mb4",
            "SET SESSION sql_mode = 'STRICT_ALL_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ZERO_DATE,"
            "NO_ZERO_IN_DATE,NO_ENGINE_SUBSTITUTION'",
            "SET SESSION autocommit = 1",
            "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ",
            "SET SESSION time_zone = '+00:00'",
            "SET SESSION foreign_key_checks = 1"};
  }
  // InnoDB owns its files: purged values are overwritten in place and old
  // versions are removed by its purge thread; nothing to ask for here.
  std::vector<std::string> CompactAfterPurge() const override { return {}; }

  // The store's mutex already serializes the writers of one coordinator.
  // The lock row extends that to every process on the database (a second
  // coordinator started by mistake, an old one still stopping during a
  // rolling restart): without it two writers could both read the last audit
  // hash and fork the chain. It costs one row lock per transaction, and it
  // is taken first, so a transaction never waits for a lock half-way.
  std::vector<std::string> BeginWrite() const override {
    return {"START TRANSACTION", "SELECT id FROM store_write_lock WHERE id = 1 FOR UPDATE"};
  }
  std::string_view BeginRead() const override {
    return "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY";
  }

  // DDL commits implicitly in MariaDB/MySQL: a migration is not atomic
  // there, unlike on SQLite (docs/ARCHITECTURE.md, "Store").
  std::vector<std::string> CreateBookkeeping() const override {
    return {
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INT NOT NULL PRIMARY KEY, "
        "name VARCHAR(200) NOT NULL, applied_at VARCHAR(40) NOT NULL) ENGINE=InnoDB DEFAULT "
        "CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
        "CREATE TABLE IF NOT EXISTS store_write_lock (id INT NOT NULL PRIMARY KEY) ENGINE=InnoDB",
        "INSERT IGNORE INTO store_write_lock (id) VALUES (1)"};
  }
};

}  // namespace

std::unique_ptr<Dialect> NewMysqlDialect() {
  return std::make_unique<MysqlDialect>();
}

}  // namespace dsr::store
