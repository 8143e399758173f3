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
  // Whether Quote(identifier) survives SOCI's MySQL backend, which scans the
  // statement for :name placeholders and '...' literals without knowing
  // backtick quotes. Configured names are checked by the schema; names read
  // from the database's catalog are checked here.
  bool CanQuote(std::string_view identifier) const;
  // The expressions (text) joined with one space, as one SQL expression that is
  // NULL when any of them is NULL (SQLite's ||; MySQL's CONCAT, not CONCAT_WS).
  std::string JoinWithSpace(const std::vector<std::string>& expressions) const;

  // `expression` as text in one character set, so that columns of different
  // character sets can be joined and compared (MySQL); unchanged on SQLite.
  std::string AsText(const std::string& expression) const;
  // `expression` in a form that compares byte for byte, as SQLite compares
  // text: MySQL's collations may ignore case, accents and trailing spaces.
  std::string ByteForByte(const std::string& expression) const;
  // "<expression> = <placeholder>" for a text value, compared byte for byte.
  std::string SameText(const std::string& expression, const std::string& placeholder) const;

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
  // A query without parameters that yields the name of every table of the
  // database (not views, not the database's own tables), in name order.
  std::string TablesQuery() const;

  // Whether `column` may hold free text: SQLite columns of TEXT affinity or
  // without a declared type; MySQL CHAR, VARCHAR, the TEXT types and JSON.
  bool IsTextLike(const ColumnInfo& column) const;
  // The select-list expression that reads a text-like column as text, or NULL
  // where the value is not text (SQLite stores any type in any column).
  std::string TextProjection(const ColumnInfo& column) const;

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
