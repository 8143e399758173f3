// Dialect: what differs between the store's SQL backends. Everything else in
// the store is portable SQL with bound parameters. Each backend is one
// implementation plus its migrations folder. Internal to the store.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace dsr::store {

class Dialect {
 public:
  virtual ~Dialect() = default;
  // SOCI backend name: "sqlite3", "mysql".
  virtual std::string_view backend() const = 0;
  // Folder under coordinator/store/migrations/ that holds this dialect's files.
  virtual std::string_view migrations_folder() const = 0;
  // Statements run on every new session (pragmas, session variables).
  virtual std::vector<std::string> SessionSetup() const = 0;
  // Statements that start a transaction that will write: they take the write
  // lock up front so that a read-then-write transaction cannot fail half-way
  // on a lock, and so that two writers never interleave.
  virtual std::vector<std::string> BeginWrite() const = 0;
  // Starts a read-only transaction that sees one consistent snapshot.
  virtual std::string_view BeginRead() const = 0;
  // Statements run after personal data was purged, so that its old content
  // leaves the database's files (a WAL checkpoint); none where the server
  // owns its files.
  virtual std::vector<std::string> CompactAfterPurge() const = 0;
  // Statements that create, when missing, what the store keeps about itself:
  // the schema_migrations table and whatever BeginWrite locks.
  virtual std::vector<std::string> CreateBookkeeping() const = 0;
};

std::unique_ptr<Dialect> NewSqliteDialect();
std::unique_ptr<Dialect> NewMysqlDialect();

// The dialect for a SOCI connection string such as "sqlite3://db=dsr.db" or
// "mysql://db=dsr host=db.internal user=dsr password=…"; kValidation for any
// other backend.
Result<std::unique_ptr<Dialect>> DialectForUrl(const std::string& url);

}  // namespace dsr::store
