// Passwords and secret tokens.
//
// Passwords are hashed with Argon2id (libsodium's crypto_pwhash_str, with its
// "interactive" limits: about 64 MiB and a fraction of a second per hash), so
// that a stolen users table does not give the passwords away cheaply.
// Tokens are 256 random bits from randombytes_buf, written as base64url after
// a prefix that says what they are ("dsr_" for API tokens, "dsrs_" for
// sessions), so that a leaked one is recognisable in logs and by secret scanners.
#pragma once

#include <optional>
#include <string>

#include "common/status.h"

namespace dsr::auth {

inline constexpr size_t kMinPasswordLength = 12;
inline constexpr size_t kMaxPasswordLength = 1024;
inline constexpr const char* kApiTokenPrefix = "dsr_";
inline constexpr const char* kSessionTokenPrefix = "dsrs_";

// kValidation when the password is shorter than kMinPasswordLength (or absurdly long).
Status CheckPasswordRules(const std::string& password);
// An encoded Argon2id hash ("$argon2id$v=19$…") with its own random salt.
Result<std::string> HashPassword(const std::string& password);
// The same hash without the password rules, for short secrets that are
// guessed only online and only a few times (a delivery link's one-time code).
Result<std::string> HashSecret(const std::string& secret);
// `digits` decimal digits from randombytes_uniform.
std::string NewDigitCode(int digits);
// Whether `password` matches `hash`; false for a malformed hash.
bool VerifyPassword(const std::string& hash, const std::string& password);

// A fresh random token: `prefix` followed by 43 base64url characters.
std::string NewSecretToken(const std::string& prefix);
// Whether `token` has the shape NewSecretToken(prefix) gives.
bool IsWellFormedToken(const std::string& token, const std::string& prefix);
// The hex SHA-256 under which a token is stored.
std::string TokenDigest(const std::string& token);
// The token of an "Authorization: Bearer <token>" header value; nullopt otherwise.
std::optional<std::string> BearerToken(const std::string& authorization);
// Equality that takes the same time wherever the first difference is.
bool ConstantTimeEquals(const std::string& a, const std::string& b);

// kValidation unless `name` is 1–64 of a-z, 0-9, '.', '_', '-', starting with
// a letter, and not one of the actors the system writes itself ("system", "api").
Status CheckUserName(const std::string& name);

}  // namespace dsr::auth
