// The files connector's configuration as a typed model, parsed from the
// `connector:` section of a worker config (schemas/config/connector-files.json).
//
// ParseFilesConfig validates against the schema, then checks what a schema
// cannot express (keys that belong to another format, a glob that climbs out
// of the root, a session field for delete_session ...). Every error names the
// config key, e.g. "connector.files[2].sheet: ...". Value types.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace dsr::connectors::files {

enum class FileFormat { kCsv, kXlsx, kVcard, kChatJsonl };

// How a subject's value is compared with a stored one (the SQL connector's
// modes, plus IP addresses compared in their canonical text form).
enum class MatchMode {
  kExact,            // byte for byte, surrounding white space dropped
  kCaseInsensitive,  // ASCII letters lower-cased on both sides
  kDigits,           // separators (space - / ( ) .) removed on both sides
  kIpAddress,        // IPv4/IPv6 parsed and printed canonically ("2001:DB8:0::1" = "2001:db8::1")
};

// A canonical identity mapped to one field, or to several joined with one
// space (a name split in two columns).
struct FieldMapping {
  std::vector<std::string> fields;
  MatchMode match = MatchMode::kExact;
};

// The parts of a postal address ("street", "postal_code", "city",
// "country") → column.
using AddressColumns = std::map<std::string, std::string>;

struct FileRule {
  std::string glob;
  FileFormat format = FileFormat::kCsv;
  std::optional<char> delimiter;  // csv; detected from the header line when absent
  std::string sheet;              // xlsx; empty = the first sheet
  int header_row = 1;             // csv, xlsx
  // Canonical attribute ("email", "phone", "name", "customer_id",
  // "ip_address") → field(s). vCard maps its properties itself.
  std::map<std::string, FieldMapping> identities;
  AddressColumns postal_address;  // csv, xlsx
  std::string session_field;      // chat_jsonl
  std::string config_path;        // "connector.files[1]", for error messages
};

inline constexpr int64_t kDefaultMaxFileBytes = int64_t{256} * 1024 * 1024;
inline constexpr int64_t kDefaultMaxLineBytes = int64_t{1024} * 1024;

struct FilesConfig {
  std::string root;  // absolute
  int64_t max_file_bytes = kDefaultMaxFileBytes;
  int64_t max_line_bytes = kDefaultMaxLineBytes;
  std::vector<FileRule> files;  // in config order; the first rule matching a file wins
};

// kValidation with the first problem as message and every problem as a detail.
Result<FilesConfig> ParseFilesConfig(const nlohmann::json& config);

}  // namespace dsr::connectors::files
