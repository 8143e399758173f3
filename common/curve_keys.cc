#include "common/curve_keys.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zmq.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "common/secret_file.h"

namespace dsr {
namespace {

constexpr const char* kZ85Alphabet =
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

Status WriteNewFile(const std::string& path, const std::string& content, mode_t mode) {
  // O_EXCL: an existing key is never replaced; the mode is set at creation,
  // so the secret is never readable by others, not even for a moment.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    if (errno == EEXIST) return Conflict("'" + path + "' exists; refusing to overwrite it");
    return Internal("cannot create '" + path + "': " + std::strerror(errno));
  }
  // The umask may have taken bits away from a public key; put them back.
  (void)::fchmod(fd, mode);
  size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string error = std::strerror(errno);
      ::close(fd);
      ::unlink(path.c_str());
      return Internal("cannot write '" + path + "': " + error);
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(path.c_str());
    return Internal("cannot write '" + path + "': " + std::strerror(errno));
  }
  return Status::Ok();
}

std::string KeyFileText(const std::string& comment, const std::string& key) {
  return "# " + comment + "\n" + key + "\n";
}

}  // namespace

bool IsZ85Key(const std::string& text) {
  if (text.size() != kZ85KeyLength) return false;
  if (text.find_first_not_of(kZ85Alphabet) != std::string::npos) return false;
  uint8_t decoded[32];
  return zmq_z85_decode(decoded, text.c_str()) != nullptr;
}

Result<CurveKeyPair> GenerateCurveKeyPair() {
  char public_key[kZ85KeyLength + 1] = {};
  char secret_key[kZ85KeyLength + 1] = {};
  if (zmq_curve_keypair(public_key, secret_key) != 0) {
    return Internal("this libzmq cannot make CURVE keys (built without libsodium?)");
  }
  return CurveKeyPair{public_key, secret_key};
}

Result<std::string> CurvePublicKeyOf(const std::string& secret_key) {
  if (!IsZ85Key(secret_key)) return InvalidArgument("not a Z85 key of 40 characters");
  char public_key[kZ85KeyLength + 1] = {};
  if (zmq_curve_public(public_key, secret_key.c_str()) != 0) {
    return Internal("this libzmq cannot derive CURVE keys");
  }
  return std::string(public_key);
}

Result<std::string> ReadCurveKeyFile(const std::string& path, const std::string& key) {
  auto text = ReadSecretFile(path, key);
  if (!text.ok()) return text.status();
  std::istringstream lines(*text);
  std::string line;
  std::string found;
  while (std::getline(lines, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    // '#' is also a Z85 character: a comment starts with "# " (or is "#").
    if (line.empty() || line == "#" || line.rfind("# ", 0) == 0) continue;
    if (!found.empty()) return ValidationError(key + ": '" + path + "' holds more than one key");
    found = line;
  }
  if (!IsZ85Key(found)) {
    return ValidationError(key + ": '" + path +
                           "' holds no CURVE key (40 characters of Z85 on a line of their own)");
  }
  return found;
}

Result<std::string> ReadCurveSecretKeyFile(const std::string& path, const std::string& key) {
  struct stat info;
  if (::stat(path.c_str(), &info) == 0 && (info.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(info.st_mode & 07777));
    return ValidationError(key + ": '" + path + "' may be read by others (mode " + mode +
                           "); a secret key file must have mode 0600 (chmod 600 '" + path + "')");
  }
  return ReadCurveKeyFile(path, key);
}

Status WriteCurveKeyPair(const CurveKeyPair& pair, const std::string& secret_path,
                         const std::string& public_path, const std::string& comment) {
  if (secret_path == public_path) return InvalidArgument("the two key files must differ");
  struct stat existing;
  if (::stat(public_path.c_str(), &existing) == 0) {
    return Conflict("'" + public_path + "' exists; refusing to overwrite it");
  }
  DSR_RETURN_IF_ERROR(WriteNewFile(
      secret_path, KeyFileText(comment + " (secret key: keep it private)", pair.secret_key), 0600));
  Status written =
      WriteNewFile(public_path, KeyFileText(comment + " (public key)", pair.public_key), 0644);
  if (!written.ok()) ::unlink(secret_path.c_str());
  return written;
}

std::string KeyFingerprint(const std::string& public_key) {
  return public_key.substr(0, 8);
}

std::string EndpointHost(const std::string& endpoint) {
  const auto scheme_end = endpoint.find("://");
  if (scheme_end == std::string::npos) return "";
  std::string rest = endpoint.substr(scheme_end + 3);
  if (!rest.empty() && rest[0] == '[') {
    const auto close = rest.find(']');
    return close == std::string::npos ? "" : rest.substr(0, close + 1);
  }
  const auto colon = rest.rfind(':');
  return colon == std::string::npos ? rest : rest.substr(0, colon);
}

bool IsLocalEndpoint(const std::string& endpoint) {
  if (endpoint.rfind("ipc://", 0) == 0 || endpoint.rfind("inproc://", 0) == 0) return true;
  if (endpoint.rfind("tcp://", 0) != 0) return false;
  return IsLoopbackHost(EndpointHost(endpoint));
}

}  // namespace dsr
