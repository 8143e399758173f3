-- Identity checks, clock pauses, review decisions, erasure outcomes and
-- retention holds; requests learn corrections, follow-ups and closing reasons.
ALTER TABLE requests ADD COLUMN corrections MEDIUMTEXT;
ALTER TABLE requests ADD COLUMN origin VARCHAR(32) NOT NULL DEFAULT 'agent';
ALTER TABLE requests ADD COLUMN follow_up_of VARCHAR(64);
ALTER TABLE requests ADD COLUMN paused_since VARCHAR(10);
ALTER TABLE requests ADD COLUMN paused_days INT NOT NULL DEFAULT 0;
ALTER TABLE requests ADD COLUMN approved_at VARCHAR(40);
ALTER TABLE requests ADD COLUMN closing_ground MEDIUMTEXT;
ALTER TABLE requests ADD COLUMN closing_reason MEDIUMTEXT;
ALTER TABLE requests ADD COLUMN letter_path MEDIUMTEXT;

ALTER TABLE tasks ADD COLUMN scope MEDIUMTEXT;
ALTER TABLE tasks ADD COLUMN round INT NOT NULL DEFAULT 1;

CREATE TABLE identity_checks (
  id VARCHAR(64) NOT NULL PRIMARY KEY,
  request_id VARCHAR(64) NOT NULL,
  at VARCHAR(40) NOT NULL,
  actor MEDIUMTEXT NOT NULL,
  method MEDIUMTEXT NOT NULL,
  outcome MEDIUMTEXT NOT NULL,
  note MEDIUMTEXT,
  INDEX identity_checks_by_request (request_id, at),
  FOREIGN KEY (request_id) REFERENCES requests (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE pauses (
  id VARCHAR(64) NOT NULL PRIMARY KEY,
  request_id VARCHAR(64) NOT NULL,
  started_on VARCHAR(10) NOT NULL,
  ended_on VARCHAR(10),
  reason MEDIUMTEXT NOT NULL,
  actor MEDIUMTEXT NOT NULL,
  INDEX pauses_by_request (request_id, started_on),
  FOREIGN KEY (request_id) REFERENCES requests (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE task_outcomes (
  task_id VARCHAR(64) NOT NULL,
  position INT NOT NULL,
  collection MEDIUMTEXT NOT NULL,
  kind VARCHAR(32) NOT NULL,
  records BIGINT NOT NULL,
  retained_until VARCHAR(10),
  legal_basis MEDIUMTEXT,
  PRIMARY KEY (task_id, position),
  FOREIGN KEY (task_id) REFERENCES tasks (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE holds (
  id VARCHAR(64) NOT NULL PRIMARY KEY,
  request_id VARCHAR(64) NOT NULL,
  source VARCHAR(200) NOT NULL,
  collection MEDIUMTEXT NOT NULL,
  retained_until VARCHAR(10) NOT NULL,
  legal_basis MEDIUMTEXT NOT NULL,
  record_keys MEDIUMTEXT NOT NULL,
  status VARCHAR(32) NOT NULL,
  follow_up_request_id VARCHAR(64),
  created_at VARCHAR(40) NOT NULL,
  INDEX holds_by_status (status, retained_until),
  INDEX holds_by_request (request_id),
  FOREIGN KEY (request_id) REFERENCES requests (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE review_decisions (
  id VARCHAR(64) NOT NULL PRIMARY KEY,
  request_id VARCHAR(64) NOT NULL,
  position INT NOT NULL,
  task_id VARCHAR(64) NOT NULL,
  collection VARCHAR(255) NOT NULL,
  line BIGINT NOT NULL,
  record_key MEDIUMTEXT,
  decision VARCHAR(32) NOT NULL,
  fields MEDIUMTEXT NOT NULL,
  reason MEDIUMTEXT NOT NULL,
  actor MEDIUMTEXT NOT NULL,
  at VARCHAR(40) NOT NULL,
  INDEX review_decisions_by_request (request_id, task_id, collection, line),
  FOREIGN KEY (request_id) REFERENCES requests (id),
  FOREIGN KEY (task_id) REFERENCES tasks (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
