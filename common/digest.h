// SHA-256 digests (hex, lower case) for manifests, the audit chain and spool
// files. Sha256 accumulates data incrementally, so files of any size are
// hashed without holding them in memory. Not thread-safe per instance.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace dsr {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;
  void Update(std::string_view data);
  // The digest of everything updated so far, as 64 hex digits; resets.
  std::string HexDigest();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

std::string Sha256Hex(std::string_view data);
// Hashes a file by streaming it.
Result<std::string> Sha256OfFile(const std::string& path);

// A random UUID v4 in lower case, e.g. for request and task ids.
std::string NewUuid();

}  // namespace dsr
