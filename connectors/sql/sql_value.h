// SqlValue: one value read from or bound to a source database, with the
// type it has there, so keys are bound back exactly as they were read and
// exported values keep their type in JSON. Value type; thread-compatible.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace dsr::connectors::sql {

// Raw bytes of a BLOB column (exported as base64).
struct Blob {
  std::string bytes;
  bool operator==(const Blob& other) const { return bytes == other.bytes; }
  bool operator<(const Blob& other) const { return bytes < other.bytes; }
};

// NULL, INTEGER, REAL, TEXT or BLOB. `long long` because that is the 64-bit
// type SOCI binds.
using SqlValue = std::variant<std::monostate, long long, double, std::string, Blob>;

// NULL → null, numbers → numbers, text → string, blob → base64 string.
nlohmann::json SqlValueToJson(const SqlValue& value);

// Standard base64 with padding (RFC 4648 section 4).
std::string Base64Encode(std::string_view bytes);

// Decodes upper- or lower-case hex digits as produced by SQL HEX(); an odd
// length or a non-hex character yields false.
bool HexDecode(std::string_view hex, std::string* bytes);

// A key as text, as scopes and outcomes name records: decimal for integers,
// the text itself for text (keys are never NULL or BLOB).
std::string KeyText(const SqlValue& key);

// SQL text plus the values bound to its placeholders :p0, :p1, ... in order.
// Values are never spliced into the text. A row filter is a BoundSql holding
// only a WHERE condition; queries wrap it in text without placeholders.
struct BoundSql {
  std::string text;
  std::vector<SqlValue> params;

  // Stores `value` and returns the placeholder to write into `text`.
  std::string Bind(SqlValue value);
  // Stores the values of `part` and returns part.text with its placeholders
  // renumbered to follow this statement's, to write into `text`.
  std::string Adopt(const BoundSql& part);
};

}  // namespace dsr::connectors::sql
