#include "coordinator/bundle/spool_converter.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/base64.h"
#include "common/csv.h"
#include "common/data_protection.h"

namespace dsr::bundle {
namespace {

// ordered_json keeps each record's own key order, so the CSV header follows
// the order in which the source system listed its fields.
using Record = nlohmann::ordered_json;

// Reads one record envelope per line. The line buffer is reused, so memory
// stays at the size of the largest record.
class SpoolReader {
 public:
  SpoolReader(std::string path, const DataKeyring* keys) : path_(std::move(path)) {
    if (path_.empty()) return;  // a collection without a spool has no records
    auto in = OpenInputFile(path_, keys);
    if (!in.ok()) {
      status_ = Internal("cannot open spool " + path_ + ": " + in.status().message());
      return;
    }
    in_ = std::move(in.value());
  }

  const Status& status() const { return status_; }
  // The current line as the review API numbers it, from 0.
  int64_t review_line() const { return line_number_ - 1; }

  // Reads the next envelope. False at the end of the spool or on an error;
  // status() tells which.
  bool Next(Record* envelope) {
    if (!status_.ok() || !in_ || !std::getline(*in_, line_)) {
      if (in_ && in_->bad()) status_ = Internal("read error on spool " + path_);
      return false;
    }
    ++line_number_;
    if (line_.empty()) return Fail("empty line");
    try {
      *envelope = Record::parse(line_);
    } catch (const Record::parse_error& e) {
      // e.what() quotes the offending text; only its position may be logged.
      return Fail("not valid JSON (byte " + std::to_string(e.byte) + ")");
    }
    if (!envelope->is_object()) return Fail("not a JSON object");
    const auto record = envelope->find("record");
    const auto match = envelope->find("match");
    if (record == envelope->end() || !record->is_object() || match == envelope->end() ||
        (*match != "confirmed" && *match != "ambiguous")) {
      return Fail("not a record envelope (needs \"match\" and a \"record\" object)");
    }
    return true;
  }

  // Stops reading with `code`, naming the file and the current line.
  bool Fail(const std::string& problem, StatusCode code = StatusCode::kInternal) {
    status_ = Status(code, path_ + ":" + std::to_string(line_number_) + ": " + problem);
    return false;
  }

 private:
  std::string path_;
  std::unique_ptr<std::istream> in_;
  std::string line_;
  int64_t line_number_ = 0;
  Status status_;
};

// Applies the review decisions of `collection` to the envelope on the
// reader's current line. Returns the record to write, or null when the line
// is left out; on a contradiction, null with the reader failed (kConflict).
Record* Admit(const CollectionInput& collection, Record* envelope, SpoolReader* reader) {
  const int64_t line = reader->review_line();
  const std::string review_line = " (review line " + std::to_string(line) + ")";
  const bool ambiguous = envelope->at("match") == "ambiguous";
  const bool accepted = collection.accepted_lines.count(line) > 0;
  if (accepted && !ambiguous) {
    reader->Fail("accepted as ambiguous" + review_line + ", but the record is confirmed",
                 StatusCode::kConflict);
    return nullptr;
  }
  if (collection.excluded_lines.count(line) > 0) return nullptr;
  if (ambiguous && !accepted) {
    reader->Fail("ambiguous record" + review_line + " neither accepted nor excluded",
                 StatusCode::kConflict);
    return nullptr;
  }
  Record& record = envelope->at("record");
  const auto redacted = collection.redacted_fields.find(line);
  if (redacted == collection.redacted_fields.end()) return &record;
  for (const std::string& field : redacted->second) {
    if (record.erase(field) == 0) {
      // A field name is a column of the source, not personal data.
      reader->Fail("no field '" + field + "' to redact" + review_line, StatusCode::kConflict);
      return nullptr;
    }
  }
  return &record;
}

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
  RowSpill(std::string path, const DataKeyring* keys) : path_(std::move(path)) {
    auto out = CreateOutputFile(path_, keys);
    if (!out.ok()) {
      status_ = out.status();
      return;
    }
    out_ = std::move(out.value());
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
    out_->stream().write(reinterpret_cast<const char*>(header), sizeof header);
    out_->stream().write(row_.data(), static_cast<std::streamsize>(row_.size()));
  }

  Status Close() {
    const bool written = static_cast<bool>(out_->stream());
    DSR_RETURN_IF_ERROR(out_->Close());
    return written ? Status::Ok() : Internal("write error on " + path_);
  }

 private:
  std::string path_;
  std::unique_ptr<OutputFile> out_;
  std::vector<std::string> cells_;
  std::string row_;
  Status status_;
};

// Size and SHA-256 of the file at `path`, read in blocks.
Result<FileDigest> DigestOf(const std::string& path, const DataKeyring* keys) {
  auto opened = OpenInputFile(path, keys);
  if (!opened.ok()) return Internal("cannot open " + path + ": " + opened.status().message());
  std::istream& in = **opened;
  Sha256 hash;
  FileDigest digest;
  std::string block(1 << 20, '\0');
  while (in) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    const auto got = in.gcount();
    if (got <= 0) break;
    hash.Update(std::string_view(block.data(), static_cast<size_t>(got)));
    digest.bytes += got;
  }
  if (in.bad()) return Internal("read error on " + path);
  digest.sha256 = hash.HexDigest();
  return digest;
}

// Writes the envelope's original document, if any, into `dir` and names it
// in `record`. Only names the wire check admitted ([A-Za-z0-9._-], not "."
// or "..") arrive here. A record with redacted fields goes without its
// original: the document still holds what the reviewer took out (Art. 15(4)),
// so the record says it was withheld instead.
Status WriteOriginal(const DataKeyring* keys, const Record& envelope, int64_t review_line,
                     bool redacted, const std::string& records_path, const std::string& dir,
                     Record* record, std::set<std::string>* taken,
                     std::vector<ConvertedOriginal>* originals) {
  const auto original = envelope.find("original");
  if (original == envelope.end()) return Status::Ok();
  if (redacted) {
    (*record)["original_file"] = nullptr;  // withheld with the redacted fields
    return Status::Ok();
  }
  const auto named = original->find("name");
  const auto content = original->find("base64");
  const auto size = original->find("bytes");
  const bool inline_form = content != original->end() && content->is_string();
  const bool streamed_form = size != original->end() && size->is_number_unsigned();
  if (!original->is_object() || named == original->end() || !named->is_string() ||
      inline_form == streamed_form ||
      named->get_ref<const std::string&>().find('/') != std::string::npos || *named == "." ||
      *named == "..") {
    return Internal("spool line " + std::to_string(review_line + 1) + ": malformed original");
  }
  std::string name = named->get<std::string>();
  if (!taken->insert(name).second) {
    name = std::to_string(review_line) + "-" + name;
    if (!taken->insert(name).second) return Internal("two originals named " + name);
  }
  ConvertedOriginal converted;
  converted.name = name;
  if (streamed_form) {
    converted.path = StreamedOriginalPath(records_path, review_line);
    auto digest = DigestOf(converted.path, keys);
    if (!digest.ok()) return digest.status();
    if (digest->bytes != size->get<int64_t>()) {
      return Internal("spool line " + std::to_string(review_line + 1) + ": original holds " +
                      std::to_string(digest->bytes) + " bytes, expected " +
                      std::to_string(size->get<int64_t>()));
    }
    converted.digest = std::move(*digest);
  } else {
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    if (error) return Internal("cannot create " + dir + ": " + error.message());
    converted.path = dir + "/" + name;
    HashingFileWriter file(converted.path, keys);
    DSR_RETURN_IF_ERROR(file.status());
    file.Write(DecodeBase64(content->get_ref<const std::string&>()));
    auto digest = file.Finish();
    if (!digest.ok()) return digest.status();
    converted.digest = std::move(*digest);
  }
  (*record)["original_file"] = "originals/" + name;
  originals->push_back(std::move(converted));
  return Status::Ok();
}

// Pass 1 over the spool: records.json, the CSV header and the unpadded rows,
// and the originals.
Status WriteJsonAndRows(const CollectionInput& collection, const DataKeyring* keys,
                        const std::string& originals_dir, HashingFileWriter* json, RowSpill* rows,
                        Columns* columns, ConvertedCollection* counts) {
  SpoolReader reader(collection.records_path, keys);
  Record envelope;
  std::set<std::string> taken;
  while (reader.Next(&envelope)) {
    ++counts->lines;
    Record* record = Admit(collection, &envelope, &reader);
    if (record == nullptr) continue;
    const bool redacted = collection.redacted_fields.count(reader.review_line()) > 0;
    DSR_RETURN_IF_ERROR(WriteOriginal(keys, envelope, reader.review_line(), redacted,
                                      collection.records_path, originals_dir, record, &taken,
                                      &counts->originals));
    json->Write(counts->records == 0 ? "[\n" : ",\n");
    json->Write(DumpJson(*record));
    rows->Add(*record, columns);
    ++counts->records;
  }
  DSR_RETURN_IF_ERROR(reader.status());
  json->Write(counts->records == 0 ? "[]\n" : "\n]\n");
  return rows->Close();
}

// Pass 2 over the spilled rows: records.csv.
Status WriteCsv(const std::string& rows_path, const DataKeyring* keys, const Columns& columns,
                HashingFileWriter* csv) {
  // The BOM makes spreadsheet programs read the file as UTF-8, not as a
  // legacy code page that garbles umlauts.
  std::string row = "\xEF\xBB\xBF";
  for (size_t i = 0; i < columns.names.size(); ++i) {
    if (i > 0) row.push_back(',');
    AppendCsvField(columns.names[i], true, &row);
  }
  csv->Write(row + "\r\n");  // RFC 4180 line break

  auto opened = OpenInputFile(rows_path, keys);
  if (!opened.ok()) return Internal("cannot open " + rows_path + ": " + opened.status().message());
  std::istream& in = **opened;
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

std::string StreamedOriginalPath(const std::string& records_path, int64_t line) {
  constexpr std::string_view kSuffix = ".jsonl";
  std::string stem = records_path;
  if (stem.size() >= kSuffix.size() &&
      stem.compare(stem.size() - kSuffix.size(), kSuffix.size(), kSuffix) == 0) {
    stem.resize(stem.size() - kSuffix.size());
  }
  return stem + ".originals/" + std::to_string(line);
}

Result<ConvertedCollection> ConvertSpool(const CollectionInput& collection,
                                         const std::string& json_path, const std::string& csv_path,
                                         const std::string& originals_dir,
                                         const DataKeyring* keys) {
  Columns columns;
  HashingFileWriter json(json_path, keys);
  DSR_RETURN_IF_ERROR(json.status());
  const std::string rows_path = csv_path + ".rows";
  RowSpill rows(rows_path, keys);
  DSR_RETURN_IF_ERROR(rows.status());
  ConvertedCollection converted;
  DSR_RETURN_IF_ERROR(
      WriteJsonAndRows(collection, keys, originals_dir, &json, &rows, &columns, &converted));
  auto json_digest = json.Finish();
  if (!json_digest.ok()) return json_digest.status();
  converted.json = std::move(*json_digest);

  HashingFileWriter csv(csv_path, keys);
  DSR_RETURN_IF_ERROR(csv.status());
  DSR_RETURN_IF_ERROR(WriteCsv(rows_path, keys, columns, &csv));
  std::remove(rows_path.c_str());
  auto csv_digest = csv.Finish();
  if (!csv_digest.ok()) return csv_digest.status();
  converted.csv = std::move(*csv_digest);
  return converted;
}

}  // namespace dsr::bundle
