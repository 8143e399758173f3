// ZipPackage: a ZIP archive (an XLSX workbook) read from memory, and
// rewritten with some entries replaced while every other entry's bytes —
// local header, compressed data, data descriptor, central directory record —
// are copied unchanged (only their offsets move). Replaced entries are
// deflated anew (Poco's raw deflate) and get fresh sizes and CRC.
//
// Refuses what it cannot rewrite faithfully with kNotImplemented: ZIP64,
// encryption, multi-disk archives, methods other than stored and deflate.
// Malformed archives are kInvalidArgument. Entry sizes are capped so that a
// "zip bomb" cannot exhaust memory. Value type; thread-compatible.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace dsr::connectors::files {

class ZipPackage {
 public:
  // Parses the central directory of `bytes` (kept by reference: they must
  // outlive the package).
  static Result<ZipPackage> Open(std::string_view bytes, int64_t max_entry_bytes);

  bool Has(const std::string& name) const { return index_.count(name) != 0; }
  std::vector<std::string> Names() const;

  // The uncompressed content of entry `name`, its CRC checked.
  Result<std::string> Read(const std::string& name) const;

  // The archive with the entries in `replaced` (name → new content) changed.
  Result<std::string> Rewrite(const std::map<std::string, std::string>& replaced) const;

 private:
  struct Entry {
    std::string name;
    size_t central = 0;       // offset of its central directory record
    size_t central_size = 0;  // bytes of that record
    size_t local = 0;         // offset of its local header
    size_t local_end = 0;     // after its data (and data descriptor)
    size_t data = 0;          // offset of its compressed data
    uint16_t method = 0;
    uint32_t crc = 0;
    uint32_t compressed = 0;
    uint32_t uncompressed = 0;
  };

  explicit ZipPackage(std::string_view bytes) : bytes_(bytes) {}
  Status ParseDirectory(int64_t max_entry_bytes);
  Status ParseEntry(size_t* at, int64_t max_entry_bytes);

  std::string_view bytes_;
  std::vector<Entry> entries_;  // central directory order
  std::map<std::string, size_t> index_;
  size_t directory_ = 0;   // offset of the central directory
  size_t end_record_ = 0;  // offset of the end of central directory record
};

// Whether a standard reader (Poco::Zip) opens `bytes` and every entry
// inflates with a matching CRC; kInvalidArgument naming the problem if not.
Status CheckZipWithPoco(const std::string& bytes);

}  // namespace dsr::connectors::files
