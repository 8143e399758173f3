// CsvTable: a CSV file parsed without losing a byte. Every record and field
// keeps its position in the original text, so that an edit can copy the
// records it does not change byte for byte (BOM, delimiter, quoting, line
// endings, encoding) and rewrite only the one it changes.
//
// The dialect is RFC 4180 as spreadsheets write it: a field that starts with
// '"' is quoted ("" is a quote, line breaks allowed); a quote inside an
// unquoted field is an ordinary character; records end in CRLF, LF or CR.
// Pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace dsr::connectors::files {

struct CsvField {
  size_t begin = 0;  // raw bytes [begin, end) in the content
  size_t end = 0;
  bool quoted = false;
  std::string value;  // unquoted
};

struct CsvRecord {
  size_t begin = 0;  // first byte
  size_t end = 0;    // before the line ending
  size_t next = 0;   // after the line ending: where the next record starts
  std::vector<CsvField> fields;
};

struct CsvTable {
  size_t body = 0;  // 3 when the content starts with a UTF-8 BOM
  char delimiter = ',';
  std::vector<CsvRecord> records;  // blank lines included, as records of one empty field
};

// `delimiter` when given, else the one of , ; tab | that the first line uses
// most outside quotes (',' when none). kTooLarge naming the row for a record
// longer than `max_record_bytes`; kInvalidArgument for a quote left open.
// Errors start with `name`.
Result<CsvTable> ParseCsv(std::string_view content, std::optional<char> delimiter,
                          int64_t max_record_bytes, const std::string& name);

// `value` as one field: quoted when `quote` or when it holds the delimiter, a
// quote, a line break or leading or trailing space; quotes doubled.
std::string CsvFieldText(std::string_view value, char delimiter, bool quote);

}  // namespace dsr::connectors::files
