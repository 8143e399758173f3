// SqlDialect: the few places where SQLite and MySQL/MariaDB need different SQL
// text or different reading of results. Picked by the name of the SOCI backend
// a session was opened with. Immutable; thread-safe.
#pragma once

#include <soci/soci.h>

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "connectors/sql/sql_value.h"

namespace dsr::connectors::sql {

// A column as the database describes it.
struct ColumnInfo {
  std::string name;  // as spelled in the database
  std::string type;  // declared type, lower case ("integer", "varchar", "" ...)
};

class SqlDialect {
 public:
  // "sqlite3" or "mysql"; any other backend is kInvalidArgument.
  static Result<SqlDialect> ForBackend(std::string_view backend_name);

  // `identifier` quoted for this database ("name" or `name`).
  std::string Quote(std::string_view identifier) const;
  // The columns (already quoted) joined with one space, as one SQL expression.
  std::string JoinWithSpace(const std::vector<std::string>& quoted_columns) const;

  // Statements that every new session runs first: SQLite enforces foreign
  // keys only when asked, per connection.
  std::vector<std::string> SessionSetup() const;
  // Starts a read-write transaction. SQLite's plain BEGIN would take the write
  // lock only at the first write and could then fail at once with "database is
  // locked"; BEGIN IMMEDIATE waits for it up front (PITFALLS.md).
  std::string BeginTransaction() const;

  // The value to bind for a key given as text (by a scope): an integer for
  // integer columns, so the key's index is used, otherwise the text.
  SqlValue KeyFromText(const std::string& text, const ColumnInfo& column) const;

  // A query with one parameter :p0 (the table name) that yields one row per
  // column of that table: its name and declared type, as text.
  std::string ColumnsQuery() const;

  // The select-list expressions that read `column` of a row so that
  // DecodeColumn gets back its value and type exactly.
  std::vector<std::string> Projection(const ColumnInfo& column) const;
  // Reads what Projection selected, starting at `*position` of `row`, and
  // advances `*position` past it. Throws soci::soci_error or std::bad_cast
  // when the database returns something SOCI cannot convert.
  SqlValue DecodeColumn(const soci::row& row, size_t* position, const ColumnInfo& column) const;

 private:
  enum class Backend { kSqlite, kMysql };
  explicit SqlDialect(Backend backend) : backend_(backend) {}

  SqlValue DecodeSqlite(const soci::row& row, size_t* position) const;
  SqlValue DecodeMysql(const soci::row& row, size_t* position, const ColumnInfo& column) const;

  Backend backend_;
};

}  // namespace dsr::connectors::sql
