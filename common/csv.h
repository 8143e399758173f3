// CSV cells and rows by RFC 4180, safe to open in a spreadsheet.
//
// Formula injection: a spreadsheet evaluates a cell that starts with = + - or
// @ as a formula, which can run commands (DDE) or send data to a web address;
// some programs skip a leading tab or CR first, so those count too. With
// `guard_formula`, such cells get a leading apostrophe, the spreadsheet
// convention for "this is text" (OWASP's advice). Pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dsr {

// Appends `text` as one cell: quoted when it holds a comma, quote or line
// break, quotes doubled, formula-like text guarded.
void AppendCsvField(std::string_view text, bool guard_formula, std::string* out);

// One record of guarded cells, ending in CRLF.
std::string CsvRow(const std::vector<std::string>& cells);

}  // namespace dsr
