-- Links by which a data subject downloads the answer to an access request.
-- The link's token is 256 random bits and kept only as its SHA-256 (like
-- API tokens); its optional one-time code only as an Argon2id hash, because
-- a code of a few digits could be guessed from a fast hash. A purge deletes
-- the request's links.
CREATE TABLE delivery_links (
  token_sha256 CHAR(64) NOT NULL PRIMARY KEY,
  request_id VARCHAR(64) NOT NULL,
  created_by VARCHAR(64) NOT NULL,
  created_at VARCHAR(40) NOT NULL,
  expires_at VARCHAR(40) NOT NULL,
  code_hash VARCHAR(255),
  failed_codes INT NOT NULL DEFAULT 0,
  downloads INT NOT NULL DEFAULT 0,
  revoked_at VARCHAR(40),
  INDEX delivery_links_by_request (request_id),
  FOREIGN KEY (request_id) REFERENCES requests (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
