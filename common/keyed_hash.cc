#include "common/keyed_hash.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "common/durable_file.h"

namespace dsr {
namespace {

constexpr size_t kKeyBytes = 32;

Result<std::string> RandomBytes(size_t count) {
  std::ifstream random("/dev/urandom", std::ios::binary);
  std::string bytes(count, '\0');
  if (!random.read(bytes.data(), static_cast<std::streamsize>(count))) {
    return Internal("cannot read /dev/urandom");
  }
  return bytes;
}

}  // namespace

Result<KeyedHasher> KeyedHasher::FromFile(const std::string& path, bool create_if_missing) {
  struct stat info {};
  if (stat(path.c_str(), &info) != 0) {
    if (!create_if_missing) return ValidationError("key file " + path + " does not exist");
    auto key = RandomBytes(kKeyBytes);
    if (!key.ok()) return key.status();
    DSR_RETURN_IF_ERROR(WriteFileAtomically(path, *key));
    return KeyedHasher(std::move(key.value()));
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  if (!in && !in.eof()) return ValidationError("cannot read key file " + path);
  if (content.str().size() < kKeyBytes) {
    return ValidationError("key file " + path + " holds fewer than 32 bytes");
  }
  return KeyedHasher(content.str());
}

std::string KeyedHasher::Hash(std::string_view value) const {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
       reinterpret_cast<const unsigned char*>(value.data()), value.size(), digest, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text = "hmac-sha256:";
  for (unsigned int i = 0; i < length; ++i) {
    text.push_back(kHex[digest[i] >> 4]);
    text.push_back(kHex[digest[i] & 0xf]);
  }
  return text;
}

}  // namespace dsr
