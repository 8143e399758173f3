#include "common/csv.h"

namespace dsr {

void AppendCsvField(std::string_view text, bool guard_formula, std::string* out) {
  const bool guard = guard_formula && !text.empty() &&
                     std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos;
  const bool quote = text.find_first_of(",\"\r\n") != std::string_view::npos;
  if (!quote && !guard) {
    out->append(text);
    return;
  }
  if (quote) out->push_back('"');
  if (guard) out->push_back('\'');
  for (const char c : text) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  if (quote) out->push_back('"');
}

std::string CsvRow(const std::vector<std::string>& cells) {
  std::string row;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) row.push_back(',');
    AppendCsvField(cells[i], /*guard_formula=*/true, &row);
  }
  return row + "\r\n";
}

}  // namespace dsr
