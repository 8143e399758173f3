// The SQL connector's configuration as a typed model, parsed from the
// `connector:` section of a worker config (schemas/config/connector-sql.json).
//
// ParseSqlConfig validates the document against the schema and then checks
// what a schema cannot express (referenced tables exist, names are unique,
// every table is reachable from a table with identities, erasure strategies
// keep every reference intact ...). Every error names the config key, e.g.
// "connector.tables[2].references[0].table: ...". Columns are checked against
// the database later, by ReadTableCatalog. Thread-compatible value types.
#pragma once

#include <cstddef>
#include <map>
#include <nlohmann/json.hpp>
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

enum class ErasureStrategy { kDelete, kAnonymize, kRetain };

// How one column is made anonymous.
struct AnonymizeRule {
  enum class How {
    kNull,       // set to NULL
    kFixed,      // set to `value`
    kKeyedHash,  // "anon:" + hex HMAC-SHA256 of the value under the connector's key
  };
  How how = How::kNull;
  nlohmann::json value;  // kFixed only: a string or a number
};

// Keeping rows under a legal obligation (GDPR Art. 17(3)(b)).
struct RetentionPolicy {
  enum class Start {
    kEndOfYear,  // the period starts at the end of the calendar year of the date (HGB §257(5))
    kDate,       // the period starts on the date itself
  };
  std::string legal_basis;
  int years = 0;
  std::string from_column;  // a date (YYYY-MM-DD or an ISO timestamp)
  Start from = Start::kEndOfYear;
  std::optional<std::string> restrict_column;       // set to 1 on retained rows (Art. 18)
  ErasureStrategy then = ErasureStrategy::kDelete;  // when the period has ended
};

struct ErasureConfig {
  ErasureStrategy strategy = ErasureStrategy::kDelete;
  std::map<std::string, AnonymizeRule> anonymize;  // column → rule
  std::optional<RetentionPolicy> retain;

  // What finally happens to a row: the strategy, or for retained rows the
  // strategy after the period.
  ErasureStrategy Final() const { return retain ? retain->then : strategy; }
};

// Columns that hold one canonical attribute of a correction: "email" and
// "phone" have the part "" only; "name" has "given" and "family";
// "postal_address" has "street", "postal_code", "city" and "country".
using RectifyMapping = std::map<std::string, std::map<std::string, std::string>>;

struct TableConfig {
  std::string name;
  std::optional<std::string> key;                     // required when rows must be told apart
  std::map<std::string, IdentityMapping> identities;  // attribute → mapping
  std::vector<TableReference> references;
  ErasureConfig erasure;
  RectifyMapping rectify;   // attribute → part → column
  std::string config_path;  // "connector.tables[1]", for error messages
};

inline constexpr int kDefaultBatchSize = 500;
inline constexpr int kDefaultDiscoverSampleRows = 1000;

struct SqlConfig {
  std::string connection;  // SOCI connection string, e.g. "sqlite3://db=..."
  int batch_size = kDefaultBatchSize;
  // Rows that Discover reads from each table (discover.sample_rows).
  int discover_sample_rows = kDefaultDiscoverSampleRows;
  // The secret of keyed hashes; read when an erasure first needs it.
  std::optional<std::string> anonymize_key_file;
  std::vector<TableConfig> tables;  // in config order, which is export order
};

// kValidation with the first problem as message and every problem as a detail.
Result<SqlConfig> ParseSqlConfig(const nlohmann::json& config);

}  // namespace dsr::connectors::sql
