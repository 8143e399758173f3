// Corrections (Art. 16) as the file formats use them: the validated JSON of
// connectors/connector.h read into fields, and for spreadsheets the column
// each corrected value goes to. Pure functions.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "common/status.h"
#include "connectors/connector.h"
#include "connectors/files/files_config.h"

namespace dsr::connectors::files {

struct NewValues {
  std::optional<std::string> email;
  std::optional<std::string> phone;
  std::optional<std::string> given;
  std::optional<std::string> family;
  std::map<std::string, std::string> address;  // "street", "postal_code", "city", "country"

  // "given family" when both are given, else empty.
  std::string FullName() const;
};

// kInvalidArgument for anything but the documented attributes as text, for
// line breaks or control characters, and for values a spreadsheet would run
// as a formula (a leading '=' or '@'; '+' and '-' are kept for phone numbers).
Result<NewValues> ReadCorrections(const Corrections& corrections);

// Header → new value, for a CSV or XLSX rule: email and phone into their
// one column; a name split in two columns as given and family, a name in
// one column as "given family" (only when both are given); the address
// parts into `postal_address`'s columns.
std::map<std::string, std::string> ColumnCorrections(const FileRule& rule, const NewValues& values);

}  // namespace dsr::connectors::files
