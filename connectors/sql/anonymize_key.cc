#include "connectors/sql/anonymize_key.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <fstream>
#include <stdexcept>

namespace dsr::connectors::sql {

Result<AnonymizeKey> AnonymizeKey::Load(const std::string& path) {
  const std::string key = "connector.anonymize_key_file";
  std::ifstream file(path, std::ios::binary);
  if (!file) return Unavailable(key + ": cannot read '" + path + "'");
  std::string secret;
  // One byte more than allowed is enough to tell that the file is too big.
  secret.resize(kMaxAnonymizeKeyBytes + 1);
  file.read(secret.data(), static_cast<std::streamsize>(secret.size()));
  if (file.bad()) return Unavailable(key + ": cannot read '" + path + "'");
  secret.resize(static_cast<size_t>(file.gcount()));
  if (secret.size() < kMinAnonymizeKeyBytes || secret.size() > kMaxAnonymizeKeyBytes) {
    return ValidationError(key + ": '" + path + "' must hold " +
                           std::to_string(kMinAnonymizeKeyBytes) + " to " +
                           std::to_string(kMaxAnonymizeKeyBytes) + " bytes of secret");
  }
  return AnonymizeKey(std::move(secret));
}

std::string AnonymizeKey::Hash(std::string_view value) const {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
           reinterpret_cast<const unsigned char*>(value.data()), value.size(), digest,
           &length) == nullptr) {
    // Only a broken OpenSSL gets here; the connector's edge turns this into kInternal.
    throw std::runtime_error("HMAC-SHA256 failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hashed(kKeyedHashPrefix);
  for (unsigned int i = 0; i < length; ++i) {
    hashed += kHex[digest[i] >> 4];
    hashed += kHex[digest[i] & 15];
  }
  return hashed;
}

}  // namespace dsr::connectors::sql
