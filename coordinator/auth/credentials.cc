#include "coordinator/auth/credentials.h"

#include <sodium.h>

#include <cctype>
#include <cstdlib>
#include <mutex>

#include "common/digest.h"

namespace dsr::auth {
namespace {

constexpr size_t kTokenBytes = 32;  // 256 bits
constexpr size_t kTokenChars = 43;  // base64url of 32 bytes without padding

// sodium_init is thread-safe and idempotent; it must run before the first use.
void EnsureSodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) std::abort();  // no safe random source: nothing can work
  });
}

bool IsBase64UrlCharacter(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

}  // namespace

Status CheckPasswordRules(const std::string& password) {
  if (password.size() < kMinPasswordLength) {
    return ValidationError("the password must be at least " + std::to_string(kMinPasswordLength) +
                           " characters long");
  }
  if (password.size() > kMaxPasswordLength) {
    return ValidationError("the password must be at most " + std::to_string(kMaxPasswordLength) +
                           " characters long");
  }
  return Status::Ok();
}

Result<std::string> HashPassword(const std::string& password) {
  DSR_RETURN_IF_ERROR(CheckPasswordRules(password));
  return HashSecret(password);
}

std::string NewDigitCode(int digits) {
  EnsureSodium();
  std::string code;
  for (int i = 0; i < digits; ++i) code.push_back(static_cast<char>('0' + randombytes_uniform(10)));
  return code;
}

Result<std::string> HashSecret(const std::string& password) {
  EnsureSodium();
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(hash, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return Unavailable("not enough memory to hash the password");
  }
  return std::string(hash);
}

bool VerifyPassword(const std::string& hash, const std::string& password) {
  EnsureSodium();
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string NewSecretToken(const std::string& prefix) {
  EnsureSodium();
  unsigned char bytes[kTokenBytes];
  randombytes_buf(bytes, sizeof bytes);
  char text[sodium_base64_ENCODED_LEN(kTokenBytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(text, sizeof text, bytes, sizeof bytes,
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(bytes, sizeof bytes);
  return prefix + text;
}

bool IsWellFormedToken(const std::string& token, const std::string& prefix) {
  if (token.size() != prefix.size() + kTokenChars || token.compare(0, prefix.size(), prefix) != 0)
    return false;
  for (size_t i = prefix.size(); i < token.size(); ++i) {
    if (!IsBase64UrlCharacter(token[i])) return false;
  }
  return true;
}

std::string TokenDigest(const std::string& token) {
  return Sha256Hex(token);
}

std::optional<std::string> BearerToken(const std::string& authorization) {
  constexpr std::string_view kScheme = "Bearer ";
  if (authorization.size() <= kScheme.size()) return std::nullopt;
  // The scheme is case-insensitive (RFC 9110 11.1).
  for (size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(authorization[i])) !=
        std::tolower(static_cast<unsigned char>(kScheme[i])))
      return std::nullopt;
  }
  std::string token = authorization.substr(kScheme.size());
  const size_t first = token.find_first_not_of(' ');
  const size_t last = token.find_last_not_of(' ');
  if (first == std::string::npos) return std::nullopt;
  return token.substr(first, last - first + 1);
}

bool ConstantTimeEquals(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

Status CheckUserName(const std::string& name) {
  const bool shape =
      !name.empty() && name.size() <= 64 && name[0] >= 'a' && name[0] <= 'z' &&
      name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789._-") == std::string::npos;
  if (!shape) {
    return ValidationError(
        "a user name is 1 to 64 of a-z, 0-9, '.', '_' and '-', starting with a letter");
  }
  if (name == "system" || name == "api") {
    return ValidationError("the name '" + name + "' is reserved for the coordinator's own events");
  }
  return Status::Ok();
}

}  // namespace dsr::auth
