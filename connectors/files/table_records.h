// What CSV and XLSX files share once their cells are read: a header row that
// names the columns, and data rows that become FileRecords with the rule's
// identities and postal address. Pure functions.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "connectors/files/file_document.h"
#include "connectors/files/files_config.h"

namespace dsr::connectors::files {

// Column names from header cells: trimmed; an empty one is "column <n>"; a
// repeated one gets " (2)", " (3)" ...
std::vector<std::string> ColumnNames(const std::vector<std::string>& header_cells);

// kValidation naming the config key when a column that `rule` maps is not
// among `columns` of the file `relative`.
Status CheckMappedColumns(const FileRule& rule, const std::vector<std::string>& columns,
                          const std::string& relative);

// A data row as a record: {"row": n, "fields": {column: value}} with the
// rule's identities (several columns joined with one space) and the
// attributes email, phone, name and postal_address ("street, code city,
// country"). `values` may be shorter than `columns`.
FileRecord TableRecord(const FileRule& rule, int row, const std::string& fingerprint,
                       const std::vector<std::string>& columns,
                       const std::vector<std::string>& values);

// Whether every value is empty or white space (a blank row is no record).
bool IsBlankRow(const std::vector<std::string>& values);

}  // namespace dsr::connectors::files
