-- Identity checks, clock pauses, review decisions, erasure outcomes and
-- retention holds; requests learn corrections, follow-ups and closing reasons.
ALTER TABLE requests ADD COLUMN corrections TEXT;
ALTER TABLE requests ADD COLUMN origin TEXT NOT NULL DEFAULT 'agent';
ALTER TABLE requests ADD COLUMN follow_up_of TEXT;
ALTER TABLE requests ADD COLUMN paused_since TEXT;
ALTER TABLE requests ADD COLUMN paused_days INTEGER NOT NULL DEFAULT 0;
ALTER TABLE requests ADD COLUMN approved_at TEXT;
ALTER TABLE requests ADD COLUMN closing_ground TEXT;
ALTER TABLE requests ADD COLUMN closing_reason TEXT;
ALTER TABLE requests ADD COLUMN letter_path TEXT;

ALTER TABLE tasks ADD COLUMN scope TEXT;
ALTER TABLE tasks ADD COLUMN round INTEGER NOT NULL DEFAULT 1;

CREATE TABLE identity_checks (
  id TEXT PRIMARY KEY,
  request_id TEXT NOT NULL REFERENCES requests (id),
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  method TEXT NOT NULL,
  outcome TEXT NOT NULL,
  note TEXT
);
CREATE INDEX identity_checks_by_request ON identity_checks (request_id, at);

CREATE TABLE pauses (
  id TEXT PRIMARY KEY,
  request_id TEXT NOT NULL REFERENCES requests (id),
  started_on TEXT NOT NULL,
  ended_on TEXT,
  reason TEXT NOT NULL,
  actor TEXT NOT NULL
);
CREATE INDEX pauses_by_request ON pauses (request_id, started_on);

CREATE TABLE task_outcomes (
  task_id TEXT NOT NULL REFERENCES tasks (id),
  position INTEGER NOT NULL,
  collection TEXT NOT NULL,
  kind TEXT NOT NULL,
  records INTEGER NOT NULL,
  retained_until TEXT,
  legal_basis TEXT,
  PRIMARY KEY (task_id, position)
);

CREATE TABLE holds (
  id TEXT PRIMARY KEY,
  request_id TEXT NOT NULL REFERENCES requests (id),
  source TEXT NOT NULL,
  collection TEXT NOT NULL,
  retained_until TEXT NOT NULL,
  legal_basis TEXT NOT NULL,
  record_keys TEXT NOT NULL,
  status TEXT NOT NULL,
  follow_up_request_id TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX holds_by_status ON holds (status, retained_until);
CREATE INDEX holds_by_request ON holds (request_id);

CREATE TABLE review_decisions (
  id TEXT PRIMARY KEY,
  request_id TEXT NOT NULL REFERENCES requests (id),
  position INTEGER NOT NULL,
  task_id TEXT NOT NULL REFERENCES tasks (id),
  collection TEXT NOT NULL,
  line INTEGER NOT NULL,
  record_key TEXT,
  decision TEXT NOT NULL,
  fields TEXT NOT NULL,
  reason TEXT NOT NULL,
  actor TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX review_decisions_by_request ON review_decisions (request_id, task_id, collection, line);
