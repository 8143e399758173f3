// Discover for the files connector: every file below the root — not only the
// ones the config names — is scanned for personal data (connectors/discovery.h)
// and reported by place, with the values' kinds and counts, never the values:
//   "lists/newsletter.csv:E-Mail"          a CSV column (by its header)
//   "events/2025.xlsx:Teilnehmer!Telefon"  a worksheet column (by row 1)
//   "contacts/sales.vcf:TEL"               a vCard property
//   "chat/2025-03.jsonl:visitor_ip"        a JSON-lines field (nested: a.b, arrays: a[])
//   "notes/callback.txt"                   any other text file, as a whole
// Text files larger than max_file_bytes are sampled from their beginning;
// binary files, symbolic links and files that cannot be read are skipped
// (logged by path). Reads only.
#pragma once

#include <vector>

#include "common/status.h"
#include "connectors/connector.h"
#include "connectors/files/files_config.h"
#include "connectors/files/source_tree.h"

namespace dsr::connectors::files {

// Places sorted by name; kUnavailable when the root cannot be listed.
Result<std::vector<PersonalDataPlace>> DiscoverPersonalData(const SourceTree& tree,
                                                            const FilesConfig& config);

}  // namespace dsr::connectors::files
