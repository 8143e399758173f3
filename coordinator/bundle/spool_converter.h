// Converts one collection's JSON Lines spool of record envelopes into the
// two files the data subject reads: records.json (a JSON array, one record
// per line) and records.csv (RFC 4180, UTF-8 with BOM), holding the inner
// records that the collection's review decisions let through (bundle.h).
// Internal to dsr_bundle.
//
// Streams: the spool is read once, line by line, and every line parsed
// once. A streamed original stays in its spool file and goes into the bundle
// from there, read in blocks. That pass writes the JSON file, collects the CSV header (the union of
// field names in first-seen order) and spills the CSV rows to a side file;
// a second pass over that file writes records.csv with the final header.
// Memory holds one record and the header. Thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/csv.h"
#include "common/status.h"
#include "coordinator/bundle/bundle.h"
#include "coordinator/bundle/hashing_file.h"

namespace dsr::bundle {

// A record's original document (envelope "original"), as a file.
struct ConvertedOriginal {
  std::string name;  // unique within the collection
  std::string path;  // the file: in originals_dir (inline originals) or the spool's own
  FileDigest digest;
};

// Where the spool keeps the streamed original ("original": {"name", "bytes"})
// of the record on `line` (from 0) of the spool `records_path`
// (<collection>.jsonl): <collection>.originals/<line> beside it. The result
// spool writes it there; ConvertSpool reads it.
std::string StreamedOriginalPath(const std::string& records_path, int64_t line);

struct ConvertedCollection {
  int64_t lines = 0;    // envelopes in the spool
  int64_t records = 0;  // records written
  FileDigest json;
  FileDigest csv;
  std::vector<ConvertedOriginal> originals;  // in record order
};

// Reads `collection.records_path` (empty: no records) and writes `json_path`
// and `csv_path`, using `csv_path` + ".rows" in between (removed on success;
// on failure the caller removes its temporary directory). The original of
// each record written is named by its name, or "<review line>-<name>" when
// the name is taken; the record then names it as "original_file":
// "originals/<file>". An inline original is written to `originals_dir`
// (created when needed); a streamed one is checked (size) and hashed where
// the spool keeps it. A line that is not
// a record envelope is kInternal, a line that contradicts the review
// decisions kConflict; both name the file and line number, never the line's
// content, which is personal data. Line numbers in `collection` are not
// range-checked here (BuildBundle does that).
// With `keys`, every file it reads may be encrypted and every file it
// writes is (digests are of the plain content).
Result<ConvertedCollection> ConvertSpool(const CollectionInput& collection,
                                         const std::string& json_path, const std::string& csv_path,
                                         const std::string& originals_dir,
                                         const DataKeyring* keys = nullptr);

}  // namespace dsr::bundle
