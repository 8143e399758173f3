// The SQL connector's configuration as a typed model, parsed from the
// `connector:` section of a worker config (schemas/config/connector-sql.json).
//
// ParseSqlConfig validates the document against the schema and then checks
// what a schema cannot express (referenced tables exist, names are unique,
// every table is reachable from a table with identities ...). Every error
// names the config key, e.g. "connector.tables[2].references[0].table: ...".
// Thread-compatible value types.
#pragma once

#include <cstddef>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace dsr::connectors::sql {

// How a subject's value is compared with a column.
enum class MatchMode {
  kExact,            // byte for byte
  kCaseInsensitive,  // ASCII letters lower-cased on both sides
  kDigits,           // separators (space - / ( ) .) removed on both sides
};

// A canonical identity ("email", "phone", "name", "customer_id") mapped to one
// column, or to several columns joined with one space (a name split in two).
struct IdentityMapping {
  std::vector<std::string> columns;
  MatchMode match = MatchMode::kExact;
};

// Rows of the owning table belong to the subject when `column` holds the
// `target` value of a located row of `parent_table`.
struct TableReference {
  std::string column;
  size_t parent_table = 0;  // index into SqlConfig::tables
  std::string target;       // a column of the parent; defaults to its key
};

struct TableConfig {
  std::string name;
  std::optional<std::string> key;                     // required when rows must be told apart
  std::map<std::string, IdentityMapping> identities;  // attribute → mapping
  std::vector<TableReference> references;
  std::string config_path;  // "connector.tables[1]", for error messages
};

inline constexpr int kDefaultBatchSize = 500;

struct SqlConfig {
  std::string connection;  // SOCI connection string, e.g. "sqlite3://db=..."
  int batch_size = kDefaultBatchSize;
  std::vector<TableConfig> tables;  // in config order, which is export order
};

// kValidation with the first problem as message and every problem as a detail.
Result<SqlConfig> ParseSqlConfig(const nlohmann::json& config);

}  // namespace dsr::connectors::sql
