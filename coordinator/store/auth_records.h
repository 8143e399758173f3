// The records of who may use the HTTP API: users, their API tokens and their
// login sessions. Plain value types. Secrets are never stored: a user's
// password only as its Argon2id hash, a token only as its SHA-256.
#pragma once

#include <optional>
#include <string>

namespace dsr::store {

struct UserRecord {
  std::string name;           // unique, never reused: events name it as their actor
  std::string role;           // "agent", "dpo", "admin" or "auditor" (coordinator/auth/roles.h)
  std::string password_hash;  // crypto_pwhash_str's "$argon2id$…"
  std::string created_at;     // RFC 3339 UTC
  std::optional<std::string> disabled_at;
  std::optional<std::string> language;  // "de" or "en" for the web interface; none until chosen
};

struct ApiTokenRecord {
  std::string id;  // public name of the token, for listing and revoking
  std::string user_name;
  std::string token_sha256;  // hex
  std::optional<std::string> label;
  std::string created_at;
  std::optional<std::string> expires_at;
  std::optional<std::string> revoked_at;
};

struct SessionRecord {
  std::string token_sha256;  // hex
  std::string user_name;
  std::string created_at;
  std::string expires_at;    // absolute end, whatever the activity
  std::string last_seen_at;  // for the idle time-out
};

// A link by which the data subject downloads the sealed bundle of an access
// request (coordinator/auth/delivery_links.h).
struct DeliveryLinkRecord {
  std::string token_sha256;  // hex
  std::string request_id;
  std::string created_by;  // the agent's user name
  std::string created_at;
  std::string expires_at;
  std::optional<std::string> code_hash;  // Argon2id of the one-time code, when one is required
  int failed_codes = 0;                  // wrong codes entered so far
  int downloads = 0;
  std::optional<std::string> revoked_at;
};

}  // namespace dsr::store
