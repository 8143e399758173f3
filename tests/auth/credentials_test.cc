#include "coordinator/auth/credentials.h"

#include <doctest/doctest.h>

#include <set>

namespace dsr::auth {

TEST_SUITE("Credentials") {
  TEST_CASE("a password hash is Argon2id, salted, and verifies only its password") {
    auto hash = HashPassword("correct horse battery staple");
    REQUIRE(hash.ok());
    CHECK(hash->rfind("$argon2id$", 0) == 0);
    CHECK(VerifyPassword(*hash, "correct horse battery staple"));
    CHECK_FALSE(VerifyPassword(*hash, "correct horse battery stapl"));
    CHECK_FALSE(VerifyPassword(*hash, ""));
    CHECK(*HashPassword("correct horse battery staple") != *hash);  // its own salt
    CHECK_FALSE(VerifyPassword("", "anything at all"));
    CHECK_FALSE(VerifyPassword("$argon2id$garbage", "anything at all"));
  }

  TEST_CASE("passwords shorter than the minimum are refused") {
    const auto short_one = HashPassword(std::string(kMinPasswordLength - 1, 'x'));
    CHECK(short_one.status().code() == StatusCode::kValidation);
    CHECK(short_one.status().message().find("at least 12") != std::string::npos);
    CHECK(HashPassword(std::string(kMinPasswordLength, 'x')).ok());
    CHECK(CheckPasswordRules(std::string(kMaxPasswordLength + 1, 'x')).code() ==
          StatusCode::kValidation);
  }

  TEST_CASE("tokens are 256 random bits in base64url after their prefix") {
    std::set<std::string> seen;
    for (int i = 0; i < 100; ++i) {
      const std::string token = NewSecretToken(kApiTokenPrefix);
      CHECK(token.size() == 4 + 43);
      CHECK(IsWellFormedToken(token, kApiTokenPrefix));
      CHECK_FALSE(IsWellFormedToken(token, kSessionTokenPrefix));
      seen.insert(token);
    }
    CHECK(seen.size() == 100);
    const std::string session = NewSecretToken(kSessionTokenPrefix);
    CHECK(IsWellFormedToken(session, kSessionTokenPrefix));
    CHECK_FALSE(IsWellFormedToken(session, kApiTokenPrefix));  // "dsrs_" is not "dsr_" + 43
    CHECK_FALSE(IsWellFormedToken("dsr_" + std::string(42, 'A'), kApiTokenPrefix));
    CHECK_FALSE(IsWellFormedToken("dsr_" + std::string(42, 'A') + "=", kApiTokenPrefix));
    CHECK_FALSE(IsWellFormedToken("dsr_" + std::string(42, 'A') + "+", kApiTokenPrefix));
    CHECK(IsWellFormedToken("dsr_" + std::string(41, 'A') + "-_", kApiTokenPrefix));
  }

  TEST_CASE("the bearer token is read from the Authorization header") {
    CHECK(BearerToken("Bearer dsr_abc") == std::optional<std::string>("dsr_abc"));
    CHECK(BearerToken("bearer   dsr_abc  ") == std::optional<std::string>("dsr_abc"));
    CHECK_FALSE(BearerToken("Bearer"));
    CHECK_FALSE(BearerToken("Bearer    "));
    CHECK_FALSE(BearerToken("Basic dXNlcjpwYXNz"));
    CHECK_FALSE(BearerToken(""));
  }

  TEST_CASE("a token is stored as its SHA-256; comparisons are exact") {
    CHECK(TokenDigest("dsr_x") == TokenDigest("dsr_x"));
    CHECK(TokenDigest("dsr_x").size() == 64);
    CHECK(TokenDigest("dsr_x") != TokenDigest("dsr_y"));
    CHECK(ConstantTimeEquals("abc", "abc"));
    CHECK_FALSE(ConstantTimeEquals("abc", "abd"));
    CHECK_FALSE(ConstantTimeEquals("abc", "abcd"));
  }

  TEST_CASE("user names are short lower-case words and not the system's own actors") {
    CHECK(CheckUserName("anna.schmidt").ok());
    CHECK(CheckUserName("dpo-2").ok());
    for (const char* bad : {"", "Anna", "1anna", "anna schmidt", "anna:x", "system", "api"}) {
      CAPTURE(bad);
      CHECK(CheckUserName(bad).code() == StatusCode::kValidation);
    }
    CHECK(CheckUserName(std::string(65, 'a')).code() == StatusCode::kValidation);
  }
}

}  // namespace dsr::auth
