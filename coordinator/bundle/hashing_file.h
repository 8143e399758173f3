// HashingFileWriter: writes a file and computes its size and SHA-256 on the
// way, so that manifest entries cost no second pass over multi-gigabyte files.
// Internal to dsr_bundle. Not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/data_protection.h"
#include "common/digest.h"
#include "common/status.h"

namespace dsr::bundle {

struct FileDigest {
  int64_t bytes = 0;
  std::string sha256;
};

class HashingFileWriter {
 public:
  // Creates or truncates `path` (mode 0600), encrypted with `keys` when
  // given; size and digest are those of the plain content. Check status()
  // before writing.
  explicit HashingFileWriter(std::string path, const DataKeyring* keys = nullptr);

  const Status& status() const { return status_; }
  void Write(std::string_view data);
  // Flushes and closes the file; returns its size and digest.
  Result<FileDigest> Finish();

 private:
  void Drain();

  std::string path_;
  std::unique_ptr<OutputFile> out_;
  Sha256 hash_;
  std::string buffer_;
  int64_t bytes_ = 0;
  Status status_;
};

}  // namespace dsr::bundle
