-- Requests, their tasks per source, spooled task results and the audit log.
-- The same schema as migrations/sqlite, in MariaDB/MySQL types: keys and
-- indexed columns are VARCHAR (an index needs a bounded length); free text
-- and JSON are MEDIUMTEXT (TEXT stops at 64 KB, SQLite's TEXT does not);
-- utf8mb4_bin compares byte for byte, as SQLite does, whatever the
-- database's default collation.
CREATE TABLE requests (
  id VARCHAR(64) NOT NULL PRIMARY KEY,
  type VARCHAR(32) NOT NULL,
  status VARCHAR(32) NOT NULL,
  subject MEDIUMTEXT NOT NULL,
  language VARCHAR(16) NOT NULL,
  channel MEDIUMTEXT,
  note MEDIUMTEXT,
  received_on VARCHAR(10) NOT NULL,
  due_on VARCHAR(10) NOT NULL,
  created_at VARCHAR(40) NOT NULL,
  updated_at VARCHAR(40) NOT NULL,
  completed_at VARCHAR(40),
  bundle_path MEDIUMTEXT,
  bundle_sha256 VARCHAR(64),
  bundle_bytes BIGINT,
  INDEX requests_by_status (status, received_on),
  INDEX requests_by_received (received_on)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE tasks (
  id VARCHAR(64) NOT NULL PRIMARY KEY,
  request_id VARCHAR(64) NOT NULL,
  source VARCHAR(200) NOT NULL,
  action VARCHAR(32) NOT NULL,
  status VARCHAR(32) NOT NULL,
  attempts INT NOT NULL,
  worker MEDIUMTEXT,
  error_code MEDIUMTEXT,
  error_message MEDIUMTEXT,
  records BIGINT,
  created_at VARCHAR(40) NOT NULL,
  updated_at VARCHAR(40) NOT NULL,
  INDEX tasks_by_request (request_id),
  INDEX tasks_by_status (status, source),
  FOREIGN KEY (request_id) REFERENCES requests (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE task_results (
  task_id VARCHAR(64) NOT NULL,
  collection VARCHAR(255) NOT NULL,
  records BIGINT NOT NULL,
  path MEDIUMTEXT NOT NULL,
  sha256 VARCHAR(64) NOT NULL,
  bytes BIGINT NOT NULL,
  PRIMARY KEY (task_id, collection),
  FOREIGN KEY (task_id) REFERENCES tasks (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE events (
  seq BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  request_id VARCHAR(64),
  at VARCHAR(40) NOT NULL,
  kind VARCHAR(100) NOT NULL,
  actor MEDIUMTEXT NOT NULL,
  details MEDIUMTEXT NOT NULL,
  prev_hash VARCHAR(64) NOT NULL,
  hash VARCHAR(64) NOT NULL,
  INDEX events_by_request (request_id, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
