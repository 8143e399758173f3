// The files connector's actions over the catalog of configured files:
// locating the subject's records file by file, deciding which records an
// erasure or rectification applies to (ActionScope), rewriting each file
// once through SourceTree::Replace, and checking an erasure by reading the
// file again. Files are handled one after the other; a failure stops the
// action with the files before it already done (each rewrite is atomic and
// every action idempotent, so a retry finishes the job).
// Not thread-safe; one instance per action.
#pragma once

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/status.h"
#include "connectors/connector.h"
#include "connectors/files/file_catalog.h"
#include "connectors/files/file_document.h"
#include "connectors/files/files_config.h"
#include "connectors/files/source_tree.h"

namespace dsr::connectors::files {

// One configured file, read and parsed.
struct LoadedFile {
  CatalogEntry entry;
  FileSnapshot snapshot;
  std::unique_ptr<FileDocument> document;
};

class FileActions {
 public:
  // Both must outlive the instance. `fault` is passed to every Replace (tests).
  FileActions(const FilesConfig& config, const SourceTree& tree,
              ReplaceFault fault = ReplaceFault::kNone)
      : config_(config), tree_(tree), fault_(fault) {}

  // Calls `visit` with each located record (confirmed or ambiguous).
  using Visit = std::function<Status(const FoundRecord&)>;
  Status ForEachLocated(const Subject& subject, const Visit& visit);

  // Erasure and rectification (connectors/connector.h). Records in scope that
  // a file cannot take safely are left as they are: their collection gets
  // kNotApplicable and they go to `untouched` with the reason.
  Result<std::vector<CollectionOutcome>> Erase(const Subject& subject, const ActionScope& scope,
                                               std::vector<FoundRecord>* untouched);
  Result<std::vector<CollectionOutcome>> Rectify(const Subject& subject,
                                                 const Corrections& corrections,
                                                 const ActionScope& scope,
                                                 std::vector<FoundRecord>* untouched);

 private:
  // What an action does to one file's records in scope: the new content, and
  // which records changed.
  using Change = std::function<Result<std::string>(const LoadedFile&, const std::set<size_t>&,
                                                   std::set<size_t>*)>;
  Result<std::vector<CollectionOutcome>> Apply(const Subject& subject, const ActionScope& scope,
                                               OutcomeKind done, const Change& change,
                                               std::vector<FoundRecord>* untouched);
  // One file: its new content written, or why not (kNotApplicable).
  Result<CollectionOutcome> ApplyToFile(const LoadedFile& file, const std::set<size_t>& in_scope,
                                        OutcomeKind done, const Change& change,
                                        std::vector<FoundRecord>* untouched) const;
  Result<LoadedFile> Load(const CatalogEntry& entry) const;
  Status CheckSelection(const ActionScope& scope) const;
  Status Verify(const LoadedFile& before, const std::set<size_t>& erased, const Subject& subject,
                const ActionScope& scope) const;

  const FilesConfig& config_;
  const SourceTree& tree_;
  ReplaceFault fault_;
};

// A record as the connector reports it: "file" (the real relative path)
// added to the format's record.
FoundRecord ReportedRecord(const LoadedFile& file, const FileRecord& record, Match match,
                           const std::string& ambiguity);

}  // namespace dsr::connectors::files
