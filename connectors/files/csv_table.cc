#include "connectors/files/csv_table.h"

namespace dsr::connectors::files {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::string_view kCandidates = ",;\t|";

char DetectDelimiter(std::string_view text) {
  size_t counts[4] = {0, 0, 0, 0};
  bool quoted = false;
  for (const char c : text) {
    if (c == '"') quoted = !quoted;
    if (!quoted && (c == '\n' || c == '\r')) break;
    const size_t candidate = kCandidates.find(c);
    if (!quoted && candidate != std::string_view::npos) ++counts[candidate];
  }
  size_t best = 0;
  for (size_t i = 1; i < 4; ++i) {
    if (counts[i] > counts[best]) best = i;
  }
  return kCandidates[best];
}

// Reads one field from `*position`; leaves `*position` on the delimiter, the
// line ending or the end. False when a quote is left open.
bool ReadField(std::string_view text, char delimiter, size_t* position, CsvField* field) {
  size_t at = *position;
  field->begin = at;
  if (at < text.size() && text[at] == '"') {
    field->quoted = true;
    ++at;
    for (;;) {
      const size_t quote = text.find('"', at);
      if (quote == std::string_view::npos) return false;
      field->value.append(text.substr(at, quote - at));
      if (quote + 1 < text.size() && text[quote + 1] == '"') {
        field->value.push_back('"');
        at = quote + 2;
        continue;
      }
      at = quote + 1;
      break;
    }
  }
  // Unquoted text, or what follows a closing quote: taken as it is.
  while (at < text.size() && text[at] != delimiter && text[at] != '\n' && text[at] != '\r') {
    field->value.push_back(text[at++]);
  }
  field->end = at;
  *position = at;
  return true;
}

size_t SkipLineEnding(std::string_view text, size_t at) {
  if (at < text.size() && text[at] == '\r') {
    ++at;
    if (at < text.size() && text[at] == '\n') ++at;
  } else if (at < text.size() && text[at] == '\n') {
    ++at;
  }
  return at;
}

}  // namespace

Result<CsvTable> ParseCsv(std::string_view content, std::optional<char> delimiter,
                          int64_t max_record_bytes, const std::string& name) {
  CsvTable table;
  if (content.substr(0, kBom.size()) == kBom) table.body = kBom.size();
  table.delimiter = delimiter ? *delimiter : DetectDelimiter(content.substr(table.body));
  size_t at = table.body;
  while (at < content.size()) {
    CsvRecord record;
    record.begin = at;
    for (;;) {
      CsvField field;
      if (!ReadField(content, table.delimiter, &at, &field)) {
        return InvalidArgument(name + ": row " + std::to_string(table.records.size() + 1) +
                               " opens a quote that is never closed");
      }
      record.fields.push_back(std::move(field));
      if (at < content.size() && content[at] == table.delimiter) {
        ++at;
        continue;
      }
      break;
    }
    record.end = at;
    record.next = SkipLineEnding(content, at);
    at = record.next;
    if (static_cast<int64_t>(record.end - record.begin) > max_record_bytes) {
      return TooLarge(name + ": row " + std::to_string(table.records.size() + 1) +
                      " is longer than connector.max_line_bytes (" +
                      std::to_string(max_record_bytes) + ")");
    }
    table.records.push_back(std::move(record));
  }
  return table;
}

std::string CsvFieldText(std::string_view value, char delimiter, bool quote) {
  const bool needs = quote || value.find(delimiter) != std::string_view::npos ||
                     value.find_first_of("\"\r\n") != std::string_view::npos ||
                     (!value.empty() && (value.front() == ' ' || value.back() == ' '));
  if (!needs) return std::string(value);
  std::string text = "\"";
  for (const char c : value) {
    if (c == '"') text.push_back('"');
    text.push_back(c);
  }
  return text + "\"";
}

}  // namespace dsr::connectors::files
