#include "common/secret_file.h"

#include <arpa/inet.h>

#include <fstream>

namespace dsr {

Result<std::string> ReadSecretFile(const std::string& path, const std::string& key,
                                   size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return ValidationError(key + ": cannot read '" + path + "'");
  std::string text(max_bytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(max_bytes + 1));
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > max_bytes) {
    return ValidationError(key + ": '" + path + "' is larger than " + std::to_string(max_bytes) +
                           " bytes, so it is not a secret");
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (text.empty()) return ValidationError(key + ": '" + path + "' is empty");
  return text;
}

bool IsLoopbackHost(const std::string& host) {
  if (host == "localhost") return true;
  unsigned char address[16];
  if (inet_pton(AF_INET, host.c_str(), address) == 1) return address[0] == 127;
  return host == "::1" || host == "[::1]";
}

}  // namespace dsr
