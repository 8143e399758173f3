#include "connectors/sql/sql_dialect.h"

#include <climits>
#include <cstdio>
#include <ctime>
#include <set>

namespace dsr::connectors::sql {
namespace {

bool IsMysqlBinaryType(const std::string& type) {
  static const std::set<std::string> kBinaryTypes = {"binary", "varbinary",  "tinyblob",
                                                     "blob",   "mediumblob", "longblob"};
  return kBinaryTypes.count(type) != 0;
}

std::string FormatDateTime(const std::tm& time, bool date_only) {
  char text[80];  // room for any int values, so nothing is cut
  if (date_only) {
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", time.tm_year + 1900, time.tm_mon + 1,
                  time.tm_mday);
  } else {
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d", time.tm_year + 1900,
                  time.tm_mon + 1, time.tm_mday, time.tm_hour, time.tm_min, time.tm_sec);
  }
  return text;
}

Blob BlobFromHex(const std::string& hex) {
  Blob blob;
  if (!HexDecode(hex, &blob.bytes)) throw soci::soci_error("HEX() returned non-hex text");
  return blob;
}

// "0", "-12", "12345": the text KeyText gives for an integer, and nothing else.
bool IsCanonicalInteger(const std::string& text) {
  const size_t digits_at = !text.empty() && text[0] == '-' ? 1 : 0;
  if (text.size() == digits_at || text.size() - digits_at > 18) return false;
  for (size_t i = digits_at; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  return text[digits_at] != '0' || text.size() == digits_at + 1;
}

}  // namespace

Result<SqlDialect> SqlDialect::ForBackend(std::string_view backend_name) {
  if (backend_name == "sqlite3") return SqlDialect(Backend::kSqlite);
  if (backend_name == "mysql") return SqlDialect(Backend::kMysql);
  return InvalidArgument("the SQL connector supports the SOCI backends sqlite3 and mysql, not '" +
                         std::string(backend_name) + "'");
}

std::string SqlDialect::Quote(std::string_view identifier) const {
  // Identifiers are validated by the config schema; doubling the quote
  // character keeps even an unvalidated name from ending the identifier.
  const char quote = backend_ == Backend::kSqlite ? '"' : '`';
  std::string quoted(1, quote);
  for (char c : identifier) {
    if (c == quote) quoted += quote;
    quoted += c;
  }
  quoted += quote;
  return quoted;
}

bool SqlDialect::CanQuote(std::string_view identifier) const {
  if (identifier.empty() || identifier.find('\0') != std::string_view::npos) return false;
  return backend_ == Backend::kSqlite || identifier.find_first_of("':\\") == std::string_view::npos;
}

std::string SqlDialect::JoinWithSpace(const std::vector<std::string>& expressions) const {
  std::string joined;
  if (backend_ == Backend::kMysql) {
    // CONCAT, not CONCAT_WS: CONCAT_WS skips NULL parts, so a name with a
    // missing part would contradict the subject's name on MySQL only.
    for (const auto& expression : expressions) {
      joined += (joined.empty() ? "CONCAT(" : ", ' ', ") + expression;
    }
    return joined + ")";
  }
  for (const auto& expression : expressions) {
    if (!joined.empty()) joined += " || ' ' || ";
    joined += expression;
  }
  return "(" + joined + ")";
}

std::string SqlDialect::AsText(const std::string& expression) const {
  if (backend_ == Backend::kSqlite) return expression;
  return "CONVERT(" + expression + " USING utf8mb4)";
}

std::string SqlDialect::ByteForByte(const std::string& expression) const {
  if (backend_ == Backend::kSqlite) return expression;
  // A binary string compares byte for byte, and trailing spaces count.
  return "CAST(" + expression + " AS BINARY)";
}

std::string SqlDialect::SameText(const std::string& expression,
                                 const std::string& placeholder) const {
  return ByteForByte(AsText(expression)) + " = " + ByteForByte(placeholder);
}

std::vector<std::string> SqlDialect::SessionSetup() const {
  if (backend_ == Backend::kSqlite) return {"PRAGMA foreign_keys = ON"};
  // Values travel as UTF-8 whatever the connection string's charset says;
  // UTF-8, like latin1, is safe for the client-side escaping of parameters.
  return {"SET NAMES utf8mb4"};
}

std::string SqlDialect::BeginTransaction() const {
  return backend_ == Backend::kSqlite ? "BEGIN IMMEDIATE" : "START TRANSACTION";
}

SqlValue SqlDialect::KeyFromText(const std::string& text, const ColumnInfo& column) const {
  if (!IsCanonicalInteger(text) || text == "-0") return text;
  // SQLite compares an integer with a TEXT column as text, so an integer fits
  // any column there; MySQL would compare a text column numerically instead.
  if (backend_ == Backend::kMysql && column.type.find("int") == std::string::npos) return text;
  return std::stoll(text);
}

std::string SqlDialect::ColumnsQuery() const {
  if (backend_ == Backend::kSqlite) {
    return "SELECT name, lower(type) FROM pragma_table_info(:p0) ORDER BY cid";
  }
  return "SELECT CAST(column_name AS CHAR), CAST(LOWER(data_type) AS CHAR) "
         "FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = :p0 "
         "ORDER BY ordinal_position";
}

std::string SqlDialect::TablesQuery() const {
  if (backend_ == Backend::kSqlite) {
    // Virtual tables keep their text in ordinary shadow tables, which are read.
    return "SELECT name FROM sqlite_master WHERE type = 'table' "
           "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
           "AND COALESCE(sql, '') NOT LIKE 'CREATE VIRTUAL%' ORDER BY name";
  }
  return "SELECT CAST(table_name AS CHAR) FROM information_schema.tables "
         "WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY table_name";
}

bool SqlDialect::IsTextLike(const ColumnInfo& column) const {
  const std::string& type = column.type;
  if (backend_ == Backend::kSqlite) {
    // SQLite's rules for TEXT affinity; a column without a type takes anything.
    return type.empty() || type.find("char") != std::string::npos ||
           type.find("clob") != std::string::npos || type.find("text") != std::string::npos;
  }
  static const std::set<std::string> kTextTypes = {"char",     "varchar",    "tinytext", "text",
                                                   "longtext", "mediumtext", "json"};
  return kTextTypes.count(type) != 0;
}

std::string SqlDialect::TextProjection(const ColumnInfo& column) const {
  const std::string quoted = Quote(column.name);
  if (backend_ == Backend::kSqlite) {
    return "CASE WHEN typeof(" + quoted + ") = 'text' THEN " + quoted + " END";
  }
  return AsText(quoted);
}

std::vector<std::string> SqlDialect::Projection(const ColumnInfo& column) const {
  const std::string quoted = Quote(column.name);
  if (backend_ == Backend::kSqlite) {
    // SOCI types SQLite columns by their declared type and fails on values
    // that do not fit it (text in a DATE column, 64-bit numbers in an INTEGER
    // column). Expressions have no declared type, so SOCI reads them as text;
    // typeof() tells what the value really is.
    return {"typeof(" + quoted + ")", "CASE typeof(" + quoted + ") WHEN 'blob' THEN hex(" + quoted +
                                          ") WHEN 'real' THEN " + "printf('%!.17g', " + quoted +
                                          ") ELSE CAST(" + quoted + " AS TEXT) END"};
  }
  if (IsMysqlBinaryType(column.type)) return {"HEX(" + quoted + ")"};
  if (column.type == "time") return {"CAST(" + quoted + " AS CHAR)"};
  if (column.type == "bit") return {"CAST(" + quoted + " AS UNSIGNED)"};
  return {quoted};
}

SqlValue SqlDialect::DecodeColumn(const soci::row& row, size_t* position,
                                  const ColumnInfo& column) const {
  return backend_ == Backend::kSqlite ? DecodeSqlite(row, position)
                                      : DecodeMysql(row, position, column);
}

SqlValue SqlDialect::DecodeSqlite(const soci::row& row, size_t* position) const {
  const std::string type = row.get<std::string>((*position)++);
  const size_t value_at = (*position)++;
  if (type == "null" || row.get_indicator(value_at) == soci::i_null) return std::monostate{};
  const std::string text = row.get<std::string>(value_at);
  if (type == "integer") return std::stoll(text);
  if (type == "real") return std::stod(text);
  if (type == "blob") return BlobFromHex(text);
  return text;
}

SqlValue SqlDialect::DecodeMysql(const soci::row& row, size_t* position,
                                 const ColumnInfo& column) const {
  const size_t at = (*position)++;
  if (row.get_indicator(at) == soci::i_null) return std::monostate{};
  if (IsMysqlBinaryType(column.type)) return BlobFromHex(row.get<std::string>(at));
  switch (row.get_properties(at).get_data_type()) {
    case soci::dt_string:
    case soci::dt_xml:
      return row.get<std::string>(at);
    case soci::dt_double:
      return row.get<double>(at);
    case soci::dt_integer:
      return static_cast<long long>(row.get<int>(at));
    case soci::dt_long_long:
      return row.get<long long>(at);
    case soci::dt_unsigned_long_long: {
      const unsigned long long number = row.get<unsigned long long>(at);
      if (number <= static_cast<unsigned long long>(LLONG_MAX)) {
        return static_cast<long long>(number);
      }
      return std::to_string(number);  // beyond a signed 64-bit number: keep every digit
    }
    case soci::dt_date:
      return FormatDateTime(row.get<std::tm>(at), column.type == "date");
    case soci::dt_blob:
      break;
  }
  throw soci::soci_error("column type not supported: " + column.type);
}

}  // namespace dsr::connectors::sql
