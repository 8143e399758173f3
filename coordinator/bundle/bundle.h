// Response bundle: the one ZIP a data subject receives as the answer to an
// access request (GDPR Art. 15(3): a copy of the data in a commonly used
// electronic format).
//
// ZIP layout:
//   letter.html                               the cover letter, as given
//   sources/<source>/<collection>/records.json  the records as a JSON array
//   sources/<source>/<collection>/records.csv   the same records as CSV (UTF-8, BOM)
//   sources/<source>/<collection>/originals/<name>  a record's original document
//                                             (an e-mail's .eml), which the record
//                                             names as "original_file" (null when
//                                             withheld: a record with redacted
//                                             fields goes without its original)
//   manifest.json                             size and SHA-256 of every other file
// A collection with no records written gets no files.
//
// The cover letter comes rendered (coordinator/letters, the access letter):
// the bundle only stores it. A caller computes the counts the letter names
// with RecordsToWrite(), which is exact because the build fails on any spool
// that does not match its CollectionInput.
//
// Inputs are the JSON Lines spool files that the coordinator collected from
// the connectors. Each line is a record envelope
//   {"key": "…"|null, "match": "confirmed"|"ambiguous", "ambiguity": "…", "record": {…}}
// and only the inner `record` objects reach the ZIP, after review decisions:
// excluded lines are left out, redacted fields removed, and an ambiguous
// record is written only when a reviewer accepted it (Art. 15(4): a record
// that may be someone else's must never leave by default).
//
// BuildBundle streams the spools: memory use is bounded by the largest single
// record and the number of distinct field names of a collection, not by the
// size of the spool. Converted files are written to a private temporary
// directory next to the output and removed afterwards.
//
// Thread-safe: concurrent calls with different zip_path values are fine.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/civil_date.h"
#include "common/data_protection.h"
#include "common/status.h"

namespace dsr::bundle {

// One table, folder or file of one source. Lines are numbered from 0, as the
// review API numbers them (GET …/records, POST …/redactions), so review
// decisions pass through unchanged; error messages name the file position
// (1-based) as editors do, plus the review line.
struct CollectionInput {
  std::string name;          // safe name [A-Za-z][A-Za-z0-9_-]*, unique within its source
  std::string records_path;  // JSON Lines spool of record envelopes; empty: no records
  // How many envelope lines the spool holds. The build fails when the spool
  // holds a different number, so that a truncated spool never becomes an
  // answer that silently leaves data out.
  int64_t records = 0;
  // The review decisions below default to none; the `{}` initializers let
  // callers brace-initialize {name, path, records} without a warning.
  //
  // Lines never written: records withheld after review (Art. 15(4)) and
  // ambiguous records not accepted as the subject's.
  std::set<int64_t> excluded_lines{};
  // Ambiguous lines a reviewer accepted as the subject's. Every ambiguous
  // line must be here or in excluded_lines; an accepted line must be
  // ambiguous (anything else means the spool is not the one reviewed).
  std::set<int64_t> accepted_lines{};
  // Per line: top-level fields of the inner record to remove (third-party
  // data inside a record of the subject). Each field must exist in that
  // record. Ignored for excluded lines.
  std::map<int64_t, std::set<std::string>> redacted_fields{};
};

// The records the bundle will hold for `collection`: what the letter should
// count. Exact for any input BuildBundle accepts.
int64_t RecordsToWrite(const CollectionInput& collection);

struct SourceInput {
  std::string name;                          // safe name, unique within the bundle, e.g. "crm"
  std::vector<CollectionInput> collections;  // empty: nothing found in this source
};

struct BundleInput {
  std::string request_id;  // for the manifest and messages
  // The manifest's "created" date and the date of every ZIP entry: the date
  // of the letter.
  CivilDate answered_on;
  std::string letter_html;  // stored as letter.html, unchanged
  std::vector<SourceInput> sources;
  // With keys: spools may be encrypted, and the ZIP and every temporary file
  // are written encrypted (common/data_protection.h); the summary's size and
  // digest, and the manifest's, are of the plain content. Not owned.
  const DataKeyring* keys = nullptr;
};

struct BundleSummary {
  std::string path;     // the zip_path passed in
  std::string sha256;   // of the whole ZIP file, hex
  int64_t bytes = 0;    // size of the ZIP file
  int64_t files = 0;    // file entries in the ZIP, letter and manifest included
  int64_t records = 0;  // records written, over all collections
};

// Builds the ZIP at zip_path atomically: it writes zip_path + ".partial",
// fsyncs it, renames it over zip_path and fsyncs the directory. The ZIP uses
// ZIP64 headers throughout, so entries and archives over 4 GiB are valid.
//
// Errors: kInvalidArgument for a bad name, duplicate names, an empty request
// id or letter, an unset answered_on, or a line outside 0..records-1 or
// both excluded and accepted; kConflict for an ambiguous line neither
// accepted nor excluded, an accepted line that is not ambiguous, or a
// redacted field the record lacks (the spool is not what was reviewed);
// kInternal for an unreadable or malformed spool (the message names the file
// and line, never its content), a line count that differs from
// CollectionInput::records, or an I/O failure.
// On any error neither zip_path (unless it existed before) nor the partial
// file nor any temporary file is left behind.
Result<BundleSummary> BuildBundle(const BundleInput& input, const std::string& zip_path);

}  // namespace dsr::bundle
