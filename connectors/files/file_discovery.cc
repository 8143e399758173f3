#include "connectors/files/file_discovery.h"

#include <map>
#include <nlohmann/json.hpp>

#include "common/log.h"
#include "connectors/discovery.h"
#include "connectors/files/csv_table.h"
#include "connectors/files/table_records.h"
#include "connectors/files/vcard_text.h"
#include "connectors/files/xlsx_parts.h"

namespace dsr::connectors::files {
namespace {

constexpr char kLogComponent[] = "files-connector";
constexpr size_t kBinaryProbeBytes = 8192;
constexpr int kMaxJsonDepth = 32;

// Place → what was seen there.
class Findings {
 public:
  void Note(const std::string& place, std::string_view text) {
    if (text.empty()) return;
    const Detection detection = DetectPersonalData(text);
    if (detection.occurrences == 0) return;
    PersonalDataPlace& found = places_[place];
    found.place = place;
    found.kinds.insert(detection.kinds.begin(), detection.kinds.end());
    found.occurrences += detection.occurrences;
  }
  std::vector<PersonalDataPlace> Places() const {
    std::vector<PersonalDataPlace> places;
    for (const auto& [name, place] : places_) places.push_back(place);
    return places;
  }

 private:
  std::map<std::string, PersonalDataPlace> places_;
};

std::string Extension(const std::string& relative) {
  const size_t dot = relative.rfind('.');
  if (dot == std::string::npos || relative.find('/', dot) != std::string::npos) return "";
  std::string extension = relative.substr(dot + 1);
  for (char& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return extension;
}

// A sampled file ends at its last complete line.
std::string_view WholeLines(const FileSnapshot& snapshot) {
  std::string_view text = snapshot.content;
  if (static_cast<int64_t>(text.size()) < snapshot.size)
    text = text.substr(0, text.rfind('\n') + 1);
  return text;
}

bool ScanCsv(const FileSnapshot& snapshot, int64_t max_line_bytes, Findings* findings) {
  const std::string_view text = WholeLines(snapshot);
  auto table = ParseCsv(text, std::nullopt, max_line_bytes, snapshot.relative);
  if (!table.ok() || table->records.empty()) return false;
  std::vector<std::string> header;
  for (const auto& field : table->records.front().fields) header.push_back(field.value);
  const std::vector<std::string> columns = ColumnNames(header);
  for (size_t r = 1; r < table->records.size(); ++r) {
    const auto& fields = table->records[r].fields;
    for (size_t i = 0; i < fields.size(); ++i) {
      const std::string column =
          i < columns.size() ? columns[i] : "column " + std::to_string(i + 1);
      findings->Note(snapshot.relative + ":" + column, fields[i].value);
    }
  }
  return true;
}

void ScanJsonValue(const std::string& place, const nlohmann::json& value, int depth,
                   Findings* findings) {
  if (depth > kMaxJsonDepth) return;
  if (value.is_object()) {
    for (const auto& [key, member] : value.items()) {
      ScanJsonValue(place + (depth == 0 ? ":" : ".") + key, member, depth + 1, findings);
    }
  } else if (value.is_array()) {
    for (const auto& item : value) ScanJsonValue(place + "[]", item, depth + 1, findings);
  } else if (value.is_string()) {
    findings->Note(place, value.get<std::string>());
  } else if (value.is_number()) {
    findings->Note(place, value.dump());
  }
}

bool ScanJsonLines(const FileSnapshot& snapshot, Findings* findings) {
  const std::string_view text = WholeLines(snapshot);
  bool any = false;
  for (size_t at = 0; at < text.size();) {
    size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    const auto entry = nlohmann::json::parse(text.substr(at, end - at), nullptr, false);
    at = end + 1;
    if (!entry.is_object()) continue;
    any = true;
    ScanJsonValue(snapshot.relative, entry, 0, findings);
  }
  return any;
}

bool ScanVcards(const FileSnapshot& snapshot, int64_t max_line_bytes, Findings* findings) {
  auto cards = ParseVcards(WholeLines(snapshot), max_line_bytes, snapshot.relative);
  if (!cards.ok() || cards->empty()) return false;
  for (const auto& card : *cards) {
    for (const auto& line : card.lines) {
      if (line.name == "BEGIN" || line.name == "END" || line.name == "PHOTO") continue;
      findings->Note(snapshot.relative + ":" + line.name, VcardText(line));
    }
  }
  return true;
}

Status ScanWorkbook(const FileSnapshot& snapshot, int64_t max_part_bytes, Findings* findings) {
  auto package = ZipPackage::Open(snapshot.content, max_part_bytes);
  if (!package.ok()) return package.status();
  auto parts = FindWorkbookParts(*package, "");
  if (!parts.ok()) return parts.status();
  SharedStrings strings;
  if (!parts->shared_strings.empty()) {
    auto xml = package->Read(parts->shared_strings);
    if (!xml.ok()) return xml.status();
    auto parsed = ParseSharedStrings(*xml);
    if (!parsed.ok()) return parsed.status();
    strings = std::move(parsed.value());
  }
  for (size_t s = 0; s < parts->all_sheets.size(); ++s) {
    auto xml = package->Read(parts->all_sheets[s]);
    if (!xml.ok()) return xml.status();
    auto sheet = ParseSheet(*xml, strings);
    if (!sheet.ok()) return sheet.status();
    std::map<int, std::string> header;
    for (const auto& row : sheet->rows) {
      for (const auto& cell : row.cells) {
        if (row.number == 1) header[cell.column] = cell.text;
        if (row.number == 1) continue;
        const auto name = header.find(cell.column);
        const std::string column = name != header.end() && !name->second.empty()
                                       ? name->second
                                       : ColumnLetters(cell.column);
        findings->Note(snapshot.relative + ":" + parts->sheet_names[s] + "!" + column, cell.text);
      }
    }
  }
  return Status::Ok();
}

void ScanText(const FileSnapshot& snapshot, Findings* findings) {
  const std::string_view probe = std::string_view(snapshot.content).substr(0, kBinaryProbeBytes);
  if (probe.find('\0') != std::string_view::npos) return;
  findings->Note(snapshot.relative, WholeLines(snapshot));
}

void ScanFile(const SourceTree& tree, const FilesConfig& config, const std::string& relative,
              Findings* findings) {
  const std::string extension = Extension(relative);
  if (extension == "xlsx" || extension == "xlsm") {
    auto snapshot = tree.Read(relative, config.max_file_bytes);
    Status scanned = snapshot.ok() ? ScanWorkbook(*snapshot, config.max_file_bytes, findings)
                                   : snapshot.status();
    if (!scanned.ok())
      LogWarn(kLogComponent, "discover: skipped " + relative + ": " + scanned.message());
    return;
  }
  auto snapshot = tree.ReadPrefix(relative, config.max_file_bytes);
  if (!snapshot.ok()) {
    LogWarn(kLogComponent, "discover: skipped " + relative + ": " + snapshot.status().message());
    return;
  }
  bool structured = false;
  if (extension == "csv" || extension == "tsv") {
    structured = ScanCsv(*snapshot, config.max_line_bytes, findings);
  } else if (extension == "vcf" || extension == "vcard") {
    structured = ScanVcards(*snapshot, config.max_line_bytes, findings);
  } else if (extension == "jsonl" || extension == "ndjson" || extension == "json" ||
             extension == "log") {
    structured = ScanJsonLines(*snapshot, findings);
  }
  if (!structured) ScanText(*snapshot, findings);
}

}  // namespace

Result<std::vector<PersonalDataPlace>> DiscoverPersonalData(const SourceTree& tree,
                                                            const FilesConfig& config) {
  std::vector<std::string> files;
  std::vector<std::string> links;
  DSR_RETURN_IF_ERROR(tree.List(&files, &links));
  if (!links.empty()) {
    LogWarn(kLogComponent, "discover: skipped " + std::to_string(links.size()) +
                               " symbolic link(s), which the files connector does not follow");
  }
  Findings findings;
  for (const auto& relative : files) {
    if (!IsHelperFile(relative)) ScanFile(tree, config, relative, &findings);
  }
  return findings.Places();
}

}  // namespace dsr::connectors::files
