-- Who may use the HTTP API: users with one role each, their API tokens and
-- their login sessions. A user is never deleted (events name users as
-- actors), only disabled.
CREATE TABLE users (
  name VARCHAR(64) NOT NULL PRIMARY KEY,
  role VARCHAR(32) NOT NULL,
  password_hash VARCHAR(255) NOT NULL,
  created_at VARCHAR(40) NOT NULL,
  disabled_at VARCHAR(40)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
-- Only the SHA-256 of a token is kept. Tokens are 256 random bits, so a fast
-- hash suffices: there is no dictionary to try, and a slow password hash
-- would only slow down every API call. `id` names a token for revoking it.
CREATE TABLE api_tokens (
  id VARCHAR(64) NOT NULL PRIMARY KEY,
  user_name VARCHAR(64) NOT NULL,
  token_sha256 CHAR(64) NOT NULL,
  label VARCHAR(255),
  created_at VARCHAR(40) NOT NULL,
  expires_at VARCHAR(40),
  revoked_at VARCHAR(40),
  UNIQUE (token_sha256),
  INDEX api_tokens_by_user (user_name, created_at),
  FOREIGN KEY (user_name) REFERENCES users (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
-- Login sessions, by the SHA-256 of their (equally random) session token.
CREATE TABLE sessions (
  token_sha256 CHAR(64) NOT NULL PRIMARY KEY,
  user_name VARCHAR(64) NOT NULL,
  created_at VARCHAR(40) NOT NULL,
  expires_at VARCHAR(40) NOT NULL,
  last_seen_at VARCHAR(40) NOT NULL,
  INDEX sessions_by_user (user_name),
  FOREIGN KEY (user_name) REFERENCES users (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
