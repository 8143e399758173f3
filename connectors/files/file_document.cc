#include "connectors/files/file_document.h"

#include "common/digest.h"
#include "connectors/files/document_formats.h"

namespace dsr::connectors::files {
namespace {

// "row-12-0a1b2c3d" → {"row", "0a1b2c3d"}; empty parts for other keys.
std::pair<std::string, std::string> KindAndFingerprint(const std::string& key) {
  const size_t last = key.rfind('-');
  const size_t first = key.find('-');
  if (first == std::string::npos || last == first || key.size() - last != 9) return {};
  return {key.substr(0, first), key.substr(last + 1)};
}

}  // namespace

std::string Fingerprint(std::string_view raw) {
  return Sha256Hex(raw).substr(0, 8);
}

std::optional<size_t> FindRecord(const std::vector<FileRecord>& records, const std::string& key) {
  for (size_t i = 0; i < records.size(); ++i) {
    if (records[i].key == key) return i;
  }
  const auto wanted = KindAndFingerprint(key);
  if (wanted.first.empty()) return std::nullopt;
  std::optional<size_t> found;
  for (size_t i = 0; i < records.size(); ++i) {
    if (KindAndFingerprint(records[i].key) != wanted) continue;
    if (found) return std::nullopt;  // two records with the same content: neither is meant
    found = i;
  }
  return found;
}

Result<std::unique_ptr<FileDocument>> ParseDocument(const FileRule& rule, FileSnapshot* snapshot,
                                                    const ParseLimits& limits) {
  switch (rule.format) {
    case FileFormat::kCsv:
      return ParseCsvDocument(rule, snapshot, limits.max_line_bytes);
    case FileFormat::kXlsx:
      return ParseXlsxDocument(rule, snapshot, limits.max_part_bytes);
    case FileFormat::kVcard:
      return ParseVcardDocument(snapshot, limits.max_line_bytes);
    case FileFormat::kChatJsonl:
      return ParseChatDocument(rule, snapshot, limits.max_line_bytes);
  }
  return Internal("unknown file format");
}

}  // namespace dsr::connectors::files
