// Helpers for the files connector tests: a temporary root folder, file
// access, a sink that keeps what it gets, connectors built from YAML, and
// python3 as an independent reader of the formats.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "connectors/connector.h"

namespace dsr::connectors::testing {

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it.
class TempRoot {
 public:
  TempRoot();
  ~TempRoot();
  TempRoot(const TempRoot&) = delete;
  TempRoot& operator=(const TempRoot&) = delete;
  const std::string& path() const { return path_; }
  std::string File(std::string_view relative) const { return path_ + "/" + std::string(relative); }
  // Writes `relative` (creating its folders).
  void Write(std::string_view relative, std::string_view content) const;
  std::string Read(std::string_view relative) const;
  // Every entry below the root, relative, sorted (to see leftovers).
  std::vector<std::string> Entries() const;

 private:
  std::string path_;
};

std::string ReadBinary(const std::string& path);

class CollectingSink final : public RecordSink {
 public:
  Status Add(const FoundRecord& found) override {
    found_.push_back(found);
    return Status::Ok();
  }
  const std::vector<FoundRecord>& found() const { return found_; }
  std::vector<std::string> Keys(std::string_view collection) const;

 private:
  std::vector<FoundRecord> found_;
};

// The connector section `yaml` (a YAML mapping without `kind` and `root`)
// with kind files and `root`.
nlohmann::json FilesConfig(const std::string& root, const std::string& yaml);
std::unique_ptr<Connector> Connect(const nlohmann::json& config);

std::vector<CollectionOutcome> MustErase(Connector& connector, const Subject& subject,
                                         const ActionScope& scope = {},
                                         RecordSink* untouched = nullptr);
std::vector<CollectionOutcome> MustRectify(Connector& connector, const Subject& subject,
                                           const Corrections& corrections,
                                           const ActionScope& scope = {},
                                           RecordSink* untouched = nullptr);
std::vector<FoundRecord> MustExport(Connector& connector, const Subject& subject);
const CollectionOutcome* OutcomeOf(const std::vector<CollectionOutcome>& outcomes,
                                   const std::string& collection);

// Runs tests/files/expected_records.py with `arguments` and returns its
// output lines (it prints one line per record found).
std::vector<std::string> PythonRecords(const std::vector<std::string>& arguments);

// `text` with the bytes [begin, end) removed.
std::string Without(const std::string& text, size_t begin, size_t end);
// `text` without the first occurrence of `part` (which must occur once).
std::string WithoutPart(const std::string& text, const std::string& part);

std::string SourceDir();

}  // namespace dsr::connectors::testing
