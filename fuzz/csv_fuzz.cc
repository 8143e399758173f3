// The CSV parser of the files connector (connectors/files/csv_table.h) and
// the CSV writers (common/csv.h, CsvFieldText). Input: byte 0 picks the
// delimiter (or sniffing), byte 1 the record size limit, the rest is the file.
// Every position must lie inside the content, in order; a field written back
// by CsvFieldText must parse to the same value.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/csv.h"
#include "connectors/files/csv_table.h"
#include "fuzz/fuzz_check.h"

using dsr::connectors::files::CsvFieldText;
using dsr::connectors::files::ParseCsv;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  static constexpr char kDelimiters[] = {',', ';', '\t', '|'};
  std::optional<char> delimiter;
  if (data[0] % 5 != 4) delimiter = kDelimiters[data[0] % 5];
  const int64_t max_record = data[1] == 0 ? 1 << 20 : data[1];
  const std::string_view content(reinterpret_cast<const char*>(data) + 2, size - 2);
  auto table = ParseCsv(content, delimiter, max_record, "fuzz.csv");
  if (!table.ok()) return 0;
  size_t previous = table->body;
  for (const auto& record : table->records) {
    DSR_FUZZ_CHECK(previous <= record.begin && record.begin <= record.end);
    DSR_FUZZ_CHECK(record.end <= record.next && record.next <= content.size());
    previous = record.next;
    for (const auto& field : record.fields) {
      DSR_FUZZ_CHECK(record.begin <= field.begin && field.begin <= field.end);
      DSR_FUZZ_CHECK(field.end <= record.end);
      // Written back as the second field of a record, the value reads the
      // same (second: a first field at the start of a file may look like a BOM).
      const std::string written = CsvFieldText(field.value, table->delimiter, field.quoted);
      const std::string line = std::string("x") + table->delimiter + written + "\r\n";
      auto reread = ParseCsv(line, table->delimiter, 1 << 22, "written.csv");
      DSR_FUZZ_CHECK(reread.ok());
      DSR_FUZZ_CHECK(!reread->records.empty());
      DSR_FUZZ_CHECK(reread->records[0].fields.size() == 2);
      DSR_FUZZ_CHECK(reread->records[0].fields[1].value == field.value);
      std::string cell;
      dsr::AppendCsvField(field.value, true, &cell);
    }
  }
  return 0;
}
