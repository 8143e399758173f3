-- Who may use the HTTP API: users with one role each, their API tokens and
-- their login sessions. A user is never deleted (events name users as
-- actors), only disabled.
CREATE TABLE users (
  name TEXT PRIMARY KEY,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  disabled_at TEXT
);
-- Only the SHA-256 of a token is kept. Tokens are 256 random bits, so a fast
-- hash suffices: there is no dictionary to try, and a slow password hash
-- would only slow down every API call. `id` names a token for revoking it.
CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY,
  user_name TEXT NOT NULL REFERENCES users (name),
  token_sha256 TEXT NOT NULL UNIQUE,
  label TEXT,
  created_at TEXT NOT NULL,
  expires_at TEXT,
  revoked_at TEXT
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_name, created_at);
-- Login sessions, by the SHA-256 of their (equally random) session token.
CREATE TABLE sessions (
  token_sha256 TEXT PRIMARY KEY,
  user_name TEXT NOT NULL REFERENCES users (name),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_name);
