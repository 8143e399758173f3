// FileDocument: one parsed file of any supported format, as records that a
// subject can be matched against, and the two edits the connector makes.
//
// Edits return the file's new content and never touch a byte that belongs
// to a record outside the edit: each format keeps the raw bytes of the
// records it does not change (see the format's header). A file that cannot
// be changed safely answers kNotImplemented with the reason (attribute and
// structure names, never values); nothing is written then.
//
// Keys: rows are "row-<n>-<fingerprint>", cards without a usable UID
// "card-<n>-<fingerprint>", log lines without a session "line-<n>-<fingerprint>",
// where the fingerprint is 8 hex digits of the SHA-256 of the record's raw
// bytes. Row numbers move when an earlier row is erased, so FindRecord
// follows a key's fingerprint to the record's new place, and a key whose
// record changed or left names nothing: a repeated action never hits
// someone else's row. Value types; thread-compatible.
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "connectors/connector.h"
#include "connectors/files/files_config.h"
#include "connectors/files/source_tree.h"

namespace dsr::connectors::files {

struct FileRecord {
  std::string key;
  nlohmann::json record = nlohmann::json::object();  // as exported, without "file"
  // Canonical attribute → every value the record holds for it, as stored.
  std::map<std::string, std::vector<std::string>> identities;
  // "email", "phone", "name", "postal_address" → one value, for FoundRecord.
  std::map<std::string, std::string> attributes;
};

class FileDocument {
 public:
  virtual ~FileDocument() = default;

  const std::vector<FileRecord>& records() const { return records_; }
  // How each identity is compared (attribute → mode) for this file.
  const std::map<std::string, FieldMapping>& identity_modes() const { return modes_; }

  // The content without the records at `indexes` (into records()).
  virtual Result<std::string> Without(const std::set<size_t>& indexes) const = 0;

  // The content with `corrections` (validated, connectors/connector.h) in
  // the mapped fields of the records at `indexes`; `changed` receives the
  // indexes whose bytes changed. Fields the file does not map are ignored.
  // `subject` tells which of several values (a vCard's EMAILs) is the one
  // being corrected.
  virtual Result<std::string> Rectified(const std::set<size_t>& indexes,
                                        const Corrections& corrections, const Subject& subject,
                                        std::set<size_t>* changed) const = 0;

 protected:
  std::vector<FileRecord> records_;
  std::map<std::string, FieldMapping> modes_;
};

struct ParseLimits {
  int64_t max_line_bytes = kDefaultMaxLineBytes;  // a line, CSV record or vCard property
  int64_t max_part_bytes = kDefaultMaxFileBytes;  // an XLSX part, uncompressed
};

// Parses `snapshot` by `rule`, taking its content (the document keeps it;
// the snapshot keeps what identifies the file's version). kValidation when a
// configured column or sheet is missing, kTooLarge over a limit,
// kInvalidArgument for a file that is not of its format; each message
// starts with the file's path or the config key.
Result<std::unique_ptr<FileDocument>> ParseDocument(const FileRule& rule, FileSnapshot* snapshot,
                                                    const ParseLimits& limits);

// 8 hex digits of the SHA-256 of `raw`.
std::string Fingerprint(std::string_view raw);

// The record that `key` names: the one with exactly that key, else the only
// one whose key has the same kind ("row", "card", "line") and fingerprint.
std::optional<size_t> FindRecord(const std::vector<FileRecord>& records, const std::string& key);

}  // namespace dsr::connectors::files
