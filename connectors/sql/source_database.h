// SourceDatabase: one SOCI session to the database a SQL connector reads,
// with the dialect of its backend. Not thread-safe (neither is a SOCI session).
//
// Query methods throw soci::soci_error (and std::exception from conversions);
// the connector catches them at its edge, where they become a Status.
#pragma once

#include <soci/soci.h>

#include <functional>
#include <memory>
#include <string>

#include "common/status.h"
#include "connectors/sql/sql_dialect.h"
#include "connectors/sql/sql_value.h"

namespace dsr::connectors::sql {

class SourceDatabase {
 public:
  // Opens `connection` (a SOCI connection string). kUnavailable when the
  // database cannot be opened or reached; the message carries SOCI's reason.
  static Result<std::unique_ptr<SourceDatabase>> Open(const std::string& connection);

  const SqlDialect& dialect() const { return dialect_; }

  // Runs `query` with its parameters bound and calls `on_row` for every row
  // until it returns a non-ok Status, which is then returned.
  Status ForEachRow(const BoundSql& query, const std::function<Status(const soci::row&)>& on_row);

  // Runs a statement that changes rows and returns how many it changed.
  int64_t Execute(const BoundSql& statement);

  // One read-write transaction; see WriteTransaction.
  void Begin();
  void Commit();
  // Never throws: a failed rollback leaves the session to be dropped.
  void Rollback() noexcept;

 private:
  SourceDatabase(std::unique_ptr<soci::session> session, SqlDialect dialect)
      : session_(std::move(session)), dialect_(dialect) {}

  std::unique_ptr<soci::session> session_;
  SqlDialect dialect_;
};

// Begins a transaction on construction and rolls it back on destruction
// unless Commit was called.
class WriteTransaction {
 public:
  explicit WriteTransaction(SourceDatabase& database) : database_(database) { database_.Begin(); }
  ~WriteTransaction() {
    if (!committed_) database_.Rollback();
  }
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;

  void Commit() {
    database_.Commit();
    committed_ = true;
  }

 private:
  SourceDatabase& database_;
  bool committed_ = false;
};

// The SOCI error's own message, without the context SOCI adds to what():
// that context repeats the query's bound values, which are personal data.
// MySQL's messages quote values too, so there every quoted part is replaced
// by "..." and the MySQL error number is added.
std::string SociErrorMessage(const soci::soci_error& error);

// Whether retrying later may help: the connection is gone, SQLite is busy,
// or MySQL timed out waiting for a lock or chose the transaction as a
// deadlock victim.
bool IsTransientSociError(const soci::soci_error& error);

// Whether the database refused a change by a constraint (unique key, foreign
// key, NOT NULL, check; on MySQL also a value too long or out of range for
// its column); retrying the same change cannot help.
bool IsConstraintError(const soci::soci_error& error);

}  // namespace dsr::connectors::sql
