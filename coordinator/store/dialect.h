// Dialect: what differs between the store's SQL backends. Everything else in
// the store is portable SQL with bound parameters. Adding MySQL/MariaDB means
// adding one implementation and its migrations folder. Internal to the store.
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
  // SOCI backend name: "sqlite3".
  virtual std::string_view backend() const = 0;
  // Folder under coordinator/store/migrations/ that holds this dialect's files.
  virtual std::string_view migrations_folder() const = 0;
  // Statements run on every new session (pragmas, session variables).
  virtual std::vector<std::string> SessionSetup() const = 0;
  // Starts a transaction that will write: it takes the write lock up front so
  // that a read-then-write transaction cannot fail half-way on a lock.
  virtual std::string_view BeginWrite() const = 0;
  // Starts a read-only transaction that sees one consistent snapshot.
  virtual std::string_view BeginRead() const = 0;
  virtual std::string CreateMigrationsTable() const = 0;
};

// The dialect for a SOCI connection string such as "sqlite3://db=dsr.db".
Result<std::unique_ptr<Dialect>> DialectForUrl(const std::string& url);

}  // namespace dsr::store
