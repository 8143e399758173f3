// AnonymizeKey: the secret behind keyed hashes (erasure.anonymize ... with:
// keyed_hash). A keyed hash replaces a value by "anon:" + the hex HMAC-SHA256
// of the value under the secret: the same value gives the same hash under the
// same key (so anonymized rows can still be counted and joined), but without
// the key nobody can test a guessed value against it. The prefix keeps a hash
// from ever equalling a real value. Immutable after Load; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace dsr::connectors::sql {

inline constexpr size_t kMinAnonymizeKeyBytes = 32;
inline constexpr size_t kMaxAnonymizeKeyBytes = 4096;
inline constexpr std::string_view kKeyedHashPrefix = "anon:";

class AnonymizeKey {
 public:
  // Reads the whole file (every byte is secret, a final newline too).
  // kUnavailable when it cannot be read; kValidation when it holds fewer than
  // kMinAnonymizeKeyBytes or more than kMaxAnonymizeKeyBytes. Errors name the
  // config key and the path, never the content.
  static Result<AnonymizeKey> Load(const std::string& path);

  // "anon:" + 64 lower-case hex digits.
  std::string Hash(std::string_view value) const;

 private:
  explicit AnonymizeKey(std::string secret) : secret_(std::move(secret)) {}
  std::string secret_;
};

}  // namespace dsr::connectors::sql
