// The parsers of each format's FileDocument (see file_document.h); each
// format's .cc says how it keeps the bytes it does not change.
// ParseDocument picks one by the rule's format. Each takes the content out of
// the snapshot (the document keeps it), leaving what identifies the file.
#pragma once

#include <cstdint>
#include <memory>

#include "common/status.h"
#include "connectors/files/file_document.h"
#include "connectors/files/files_config.h"
#include "connectors/files/source_tree.h"

namespace dsr::connectors::files {

Result<std::unique_ptr<FileDocument>> ParseCsvDocument(const FileRule& rule, FileSnapshot* snapshot,
                                                       int64_t max_line_bytes);
Result<std::unique_ptr<FileDocument>> ParseXlsxDocument(const FileRule& rule,
                                                        FileSnapshot* snapshot,
                                                        int64_t max_part_bytes);
Result<std::unique_ptr<FileDocument>> ParseVcardDocument(FileSnapshot* snapshot,
                                                         int64_t max_line_bytes);
Result<std::unique_ptr<FileDocument>> ParseChatDocument(const FileRule& rule,
                                                        FileSnapshot* snapshot,
                                                        int64_t max_line_bytes);

}  // namespace dsr::connectors::files
