#include "coordinator/bundle/spool_converter.h"

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <utility>
#include <vector>

namespace dsr::bundle {
namespace {

// ordered_json keeps each record's own key order, so the CSV header follows
// the order in which the source system listed its fields.
using Record = nlohmann::ordered_json;

// Reads one JSON object per line. The line buffer is reused, so memory stays
// at the size of the largest record.
class SpoolReader {
 public:
  explicit SpoolReader(std::string path) : path_(std::move(path)) {
    if (path_.empty()) return;  // a collection without a spool has no records
    in_.open(path_, std::ios::binary);
    if (!in_) status_ = Internal("cannot open spool " + path_);
  }

  const Status& status() const { return status_; }

  // Reads the next record. False at the end of the spool or on an error;
  // status() tells which.
  bool Next(Record* record) {
    if (!status_.ok() || !in_.is_open() || !std::getline(in_, line_)) {
      if (in_.is_open() && in_.bad()) status_ = Internal("read error on spool " + path_);
      return false;
    }
    ++line_number_;
    if (line_.empty()) return Fail("empty line");
    try {
      *record = Record::parse(line_);
    } catch (const Record::parse_error& e) {
      // e.what() quotes the offending text; only its position may be logged.
      return Fail("not valid JSON (byte " + std::to_string(e.byte) + ")");
    }
    if (!record->is_object()) return Fail("not a JSON object");
    return true;
  }

 private:
  bool Fail(const std::string& problem) {
    status_ = Internal(path_ + ":" + std::to_string(line_number_) + ": " + problem);
    return false;
  }

  std::string path_;
  std::ifstream in_;
  std::string line_;
  int64_t line_number_ = 0;
  Status status_;
};

// The CSV header: every field name in first-seen order.
struct Columns {
  std::vector<std::string> names;
  std::unordered_map<std::string, size_t> index;

  // The column of `name`, appended when it is new. Looks up before
  // inserting: most names are known, and emplace would allocate every time.
  size_t IndexOf(const std::string& name) {
    const auto found = index.find(name);
    if (found != index.end()) return found->second;
    index.emplace(name, names.size());
    names.push_back(name);
    return names.size() - 1;
  }
};

std::string DumpJson(const Record& value) {
  // Keep umlauts as UTF-8 rather than \u escapes: the files are for people.
  return value.dump(-1, ' ', false, Record::error_handler_t::strict);
}

void AppendCsvValue(const Record& value, std::string* out) {
  if (value.is_null()) return;
  if (value.is_string()) {
    AppendCsvField(value.get_ref<const std::string&>(), true, out);
    return;
  }
  // A number is never guarded: "-12.5" is an amount, not a formula, and an
  // apostrophe would turn it into text in the spreadsheet. Nested objects and
  // arrays start with { or [ and so never look like formulas.
  AppendCsvField(DumpJson(value), false, out);
}

// The CSV rows are written while the header is still growing. Field names
// are only ever appended to it, so a row written early lacks at most some
// trailing cells. Each row goes to a side file as (cells, bytes, text); the
// second pass pads it with empty cells behind the final header. This parses
// every record once, not twice, and JSON parsing is the slowest step.
class RowSpill {
 public:
  explicit RowSpill(std::string path) : path_(std::move(path)) {
    out_.open(path_, std::ios::binary | std::ios::trunc);
    if (!out_) status_ = Internal("cannot create " + path_);
  }
  const Status& status() const { return status_; }

  void Add(const Record& record, Columns* columns) {
    for (auto& cell : cells_) cell.clear();
    cells_.resize(columns->names.size());
    for (const auto& item : record.items()) {
      const size_t column = columns->IndexOf(item.key());
      if (column >= cells_.size()) cells_.resize(column + 1);
      AppendCsvValue(item.value(), &cells_[column]);
    }
    row_.clear();
    for (size_t i = 0; i < cells_.size(); ++i) {
      if (i > 0) row_.push_back(',');
      row_.append(cells_[i]);
    }
    const uint64_t header[2] = {cells_.size(), row_.size()};
    out_.write(reinterpret_cast<const char*>(header), sizeof header);
    out_.write(row_.data(), static_cast<std::streamsize>(row_.size()));
  }

  Status Close() {
    out_.close();
    return out_ ? Status::Ok() : Internal("write error on " + path_);
  }

 private:
  std::string path_;
  std::ofstream out_;
  std::vector<std::string> cells_;
  std::string row_;
  Status status_;
};

// Pass 1 over the spool: records.json, the CSV header and the unpadded rows.
Result<int64_t> WriteJsonAndRows(const std::string& spool_path, HashingFileWriter* json,
                                 RowSpill* rows, Columns* columns) {
  SpoolReader reader(spool_path);
  Record record;
  int64_t records = 0;
  while (reader.Next(&record)) {
    json->Write(records == 0 ? "[\n" : ",\n");
    json->Write(DumpJson(record));
    rows->Add(record, columns);
    ++records;
  }
  DSR_RETURN_IF_ERROR(reader.status());
  json->Write(records == 0 ? "[]\n" : "\n]\n");
  DSR_RETURN_IF_ERROR(rows->Close());
  return records;
}

// Pass 2 over the spilled rows: records.csv.
Status WriteCsv(const std::string& rows_path, const Columns& columns, HashingFileWriter* csv) {
  // The BOM makes spreadsheet programs read the file as UTF-8, not as a
  // legacy code page that garbles umlauts.
  std::string row = "\xEF\xBB\xBF";
  for (size_t i = 0; i < columns.names.size(); ++i) {
    if (i > 0) row.push_back(',');
    AppendCsvField(columns.names[i], true, &row);
  }
  csv->Write(row + "\r\n");  // RFC 4180 line break

  std::ifstream in(rows_path, std::ios::binary);
  if (!in) return Internal("cannot open " + rows_path);
  uint64_t header[2];
  while (in.read(reinterpret_cast<char*>(header), sizeof header)) {
    row.resize(header[1]);
    if (!in.read(row.data(), static_cast<std::streamsize>(row.size()))) break;
    row.append(columns.names.size() - header[0], ',');
    row.append("\r\n");
    csv->Write(row);
  }
  if (in.bad() || in.gcount() != 0) return Internal("read error on " + rows_path);
  return Status::Ok();
}

}  // namespace

void AppendCsvField(std::string_view text, bool guard_formula, std::string* out) {
  // CSV formula injection: a spreadsheet evaluates a cell that starts with
  // = + - or @ as a formula, which can run commands (DDE) or send data to a
  // web address when the data subject opens records.csv; some programs skip a
  // leading tab or CR first, so those count too. The records come from
  // free-text fields that anyone may have typed into, so such cells get a
  // leading apostrophe, the spreadsheet convention for "this is text"
  // (OWASP's advice). The letter explains it; records.json keeps the value.
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

Result<ConvertedCollection> ConvertSpool(const std::string& spool_path,
                                         const std::string& json_path,
                                         const std::string& csv_path) {
  Columns columns;
  HashingFileWriter json(json_path);
  DSR_RETURN_IF_ERROR(json.status());
  const std::string rows_path = csv_path + ".rows";
  RowSpill rows(rows_path);
  DSR_RETURN_IF_ERROR(rows.status());
  auto records = WriteJsonAndRows(spool_path, &json, &rows, &columns);
  if (!records.ok()) return records.status();
  auto json_digest = json.Finish();
  if (!json_digest.ok()) return json_digest.status();

  HashingFileWriter csv(csv_path);
  DSR_RETURN_IF_ERROR(csv.status());
  DSR_RETURN_IF_ERROR(WriteCsv(rows_path, columns, &csv));
  std::remove(rows_path.c_str());
  auto csv_digest = csv.Finish();
  if (!csv_digest.ok()) return csv_digest.status();
  return ConvertedCollection{*records, std::move(*json_digest), std::move(*csv_digest)};
}

}  // namespace dsr::bundle
