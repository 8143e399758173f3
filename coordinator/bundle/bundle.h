// Response bundle: the one ZIP a data subject receives as the answer to an
// access request (GDPR Art. 15(3): a copy of the data in a commonly used
// electronic format).
//
// ZIP layout:
//   letter.html                               cover letter in the request's language
//   sources/<source>/<collection>/records.json  the records as a JSON array
//   sources/<source>/<collection>/records.csv   the same records as CSV (UTF-8, BOM)
//   manifest.json                             size and SHA-256 of every other file
// A collection with no records gets no files; the letter lists its source as
// one where nothing was found.
//
// Inputs are the JSON Lines spool files that the coordinator collected from
// the connectors. BuildBundle streams them: memory use is bounded by the
// largest single record and the number of distinct field names of a
// collection, not by the size of the spool. Converted files are written to a
// private temporary directory next to the output and removed afterwards.
//
// Thread-safe: concurrent calls with different zip_path values are fine.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/civil_date.h"
#include "common/status.h"

namespace dsr::bundle {

// One table, folder or file of one source.
struct CollectionInput {
  std::string name;          // safe name [A-Za-z][A-Za-z0-9_-]*, unique within its source
  std::string records_path;  // JSON Lines file, one JSON object per line; empty: no records
  // How many records the spool holds. The build fails when the spool holds a
  // different number, so that a truncated spool never becomes an answer that
  // silently leaves data out.
  int64_t records = 0;
};

struct SourceInput {
  std::string name;   // safe name, unique within the bundle, e.g. "crm"
  std::string title;  // for the letter, e.g. "Customer database (CRM)"; empty: the name
  std::vector<CollectionInput> collections;  // empty: nothing found in this source
};

struct LetterFacts {
  std::string request_id;
  std::string language;  // "de" or "en": a template letter.<language>.html must exist
  CivilDate received_on;
  CivilDate answered_on;           // also the date of the manifest and of the ZIP entries
  std::string controller_name;     // e.g. "Beispiel Versand GmbH"
  std::string controller_contact;  // e-mail or postal address (may span lines)
};

struct BundleInput {
  LetterFacts letter;
  std::vector<SourceInput> sources;
};

struct BundleSummary {
  std::string path;    // the zip_path passed in
  std::string sha256;  // of the whole ZIP file, hex
  int64_t bytes = 0;   // size of the ZIP file
  int64_t files = 0;   // file entries in the ZIP, letter and manifest included
  int64_t records = 0;
};

// Builds the ZIP at zip_path atomically: it writes zip_path + ".partial",
// fsyncs it, renames it over zip_path and fsyncs the directory. The ZIP uses
// ZIP64 headers throughout, so entries and archives over 4 GiB are valid.
//
// Errors: kInvalidArgument for a bad name, duplicate names, an unknown
// language or missing letter facts; kInternal for an unreadable or malformed
// spool (the message names the file and line, never its content), a record
// count that differs from CollectionInput::records, or an I/O failure.
// On any error neither zip_path (unless it existed before) nor the partial
// file nor any temporary file is left behind.
Result<BundleSummary> BuildBundle(const BundleInput& input, const std::string& zip_path);

}  // namespace dsr::bundle
