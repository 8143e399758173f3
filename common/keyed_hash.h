// KeyedHasher: HMAC-SHA256 with a secret key from a file, for values that must
// be recognisable later without being stored in clear (identities in the audit
// log: whoever holds the key can check "did this request concern X?", nobody
// else can read X back). Thread-safe after construction.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace dsr {

class KeyedHasher {
 public:
  // Reads the key from `path` (at least 32 bytes). With `create_if_missing`, a
  // missing file is created with 32 random bytes and mode 0600.
  static Result<KeyedHasher> FromFile(const std::string& path, bool create_if_missing);
  static KeyedHasher FromKey(std::string key) { return KeyedHasher(std::move(key)); }

  // "hmac-sha256:" followed by 64 hex digits.
  std::string Hash(std::string_view value) const;

 private:
  explicit KeyedHasher(std::string key) : key_(std::move(key)) {}
  std::string key_;
};

}  // namespace dsr
