// Sample files for the files connector (deploy/examples/worker-files.yaml),
// made from the sample CRM's customers so that one person can be followed
// through every source:
//   lists/newsletter.csv          UTF-8 with BOM, ';'-separated, CRLF, quoted
//                                 notes with commas, semicolons, quotes and line breaks
//   events/teilnehmer-2025.xlsx   sheet "Teilnehmer" (shared strings, a number
//                                 column) and a second sheet "Hinweise"
//   contacts/vertrieb.vcf         the sales team's address book, vCard 3.0,
//                                 folded and escaped lines, one card without UID
//   chat/2025-05.jsonl, chat/2025-06.jsonl
//                                 live-chat logs, one JSON object per line, sessions
//                                 of several interleaved lines with visitor IPs
//   notes/rueckruf-notizen.txt    free text that no config names (for Discover)
// The customer of every sample (data.samples) appears in each file type, and
// so does the customer a sample shares a phone number or address with.
// Fictitious people, reserved e-mail domains and documentation IP ranges.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"
#include "tools/sample-crm/sample_crm_data.h"

namespace dsr::sample_crm {

// Writes the files below `root` (created with its folders, mode 0700),
// replacing files of the same names. The same data and `seed` give
// byte-identical files on every machine.
Status WriteSampleFiles(const SampleCrmData& data, const std::string& root, uint64_t seed);

}  // namespace dsr::sample_crm
