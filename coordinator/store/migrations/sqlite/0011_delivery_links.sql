-- Links by which a data subject downloads the answer to an access request.
-- The link's token is 256 random bits and kept only as its SHA-256 (like
-- API tokens); its optional one-time code only as an Argon2id hash, because
-- a code of a few digits could be guessed from a fast hash. A purge deletes
-- the request's links.
CREATE TABLE delivery_links (
  token_sha256 TEXT PRIMARY KEY,
  request_id TEXT NOT NULL REFERENCES requests (id),
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  code_hash TEXT,
  failed_codes INTEGER NOT NULL DEFAULT 0,
  downloads INTEGER NOT NULL DEFAULT 0,
  revoked_at TEXT
);
CREATE INDEX delivery_links_by_request ON delivery_links (request_id);
