// The parts of an XLSX workbook that the files connector reads and edits:
// which part holds a named worksheet (xl/workbook.xml and its
// relationships), the shared string table with the position of every
// string, and a worksheet's rows and cells with their positions. Cell values
// are resolved: shared strings looked up, inline strings joined, anything
// else as its stored text (numbers, dates as serial numbers, booleans).
// Pure functions over the parts' text.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "connectors/files/xml_scan.h"
#include "connectors/files/zip_package.h"

namespace dsr::connectors::files {

struct WorkbookParts {
  std::string sheet;                     // "xl/worksheets/sheet1.xml"
  std::string shared_strings;            // "xl/sharedStrings.xml", or empty when there is none
  std::vector<std::string> all_sheets;   // every worksheet's part, in workbook order
  std::vector<std::string> sheet_names;  // and its name
  std::vector<std::string> comments;     // the sheet's comments and threaded comments parts
};

// The parts of the sheet named `sheet_name` (the first sheet when empty).
// kValidation when there is no such sheet, naming the sheets there are.
Result<WorkbookParts> FindWorkbookParts(const ZipPackage& package, const std::string& sheet_name);

struct SharedStrings {
  std::vector<std::string> texts;
  std::vector<std::pair<size_t, size_t>> spans;  // each <si> element in the part
  XmlTag table;                                  // the <sst> start tag (its count attribute)
};
Result<SharedStrings> ParseSharedStrings(std::string_view xml);

struct XlsxCell {
  size_t begin = 0, end = 0;  // the <c> element
  int column = 0;             // 1 = A
  std::string type;           // t attribute: "s", "inlineStr", "str", "b", "e", "n" or ""
  std::string style;          // s attribute (index of its format), or empty
  bool formula = false;       // holds <f>
  int shared = -1;            // t="s": index into the shared strings
  std::string text;           // the resolved value
};

struct XlsxRow {
  size_t begin = 0, end = 0;  // the <row> element
  size_t inner_end = 0;       // where its end tag starts (== end for <row/>)
  int number = 0;             // 1-based
  std::vector<XlsxCell> cells;
};

struct XlsxSheet {
  std::string prefix;  // namespace prefix of its elements ("" or "x")
  std::vector<XlsxRow> rows;
};
Result<XlsxSheet> ParseSheet(std::string_view xml, const SharedStrings& strings);

// The rows ([first, last]) that the `ref` attributes of the elements named
// `element` cover: hyperlinks, merged cells, comments attached to cells.
std::vector<std::pair<int, int>> ReferencedRows(std::string_view xml, std::string_view element);

// Every shared string index a worksheet's cells refer to.
std::vector<int> SharedStringUses(std::string_view sheet_xml);

// "B5" → column 2, row 5; nullopt for anything else.
std::optional<std::pair<int, int>> ParseCellReference(std::string_view reference);
std::string ColumnLetters(int column);

}  // namespace dsr::connectors::files
