-- Requests, their tasks per source, spooled task results and the audit log.
CREATE TABLE requests (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  status TEXT NOT NULL,
  subject TEXT NOT NULL,
  language TEXT NOT NULL,
  channel TEXT,
  note TEXT,
  received_on TEXT NOT NULL,
  due_on TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  completed_at TEXT,
  bundle_path TEXT,
  bundle_sha256 TEXT,
  bundle_bytes INTEGER
);
CREATE INDEX requests_by_status ON requests (status, received_on);
CREATE INDEX requests_by_received ON requests (received_on);

CREATE TABLE tasks (
  id TEXT PRIMARY KEY,
  request_id TEXT NOT NULL REFERENCES requests (id),
  source TEXT NOT NULL,
  action TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  worker TEXT,
  error_code TEXT,
  error_message TEXT,
  records INTEGER,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX tasks_by_request ON tasks (request_id);
CREATE INDEX tasks_by_status ON tasks (status, source);

CREATE TABLE task_results (
  task_id TEXT NOT NULL REFERENCES tasks (id),
  collection TEXT NOT NULL,
  records INTEGER NOT NULL,
  path TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  PRIMARY KEY (task_id, collection)
);

CREATE TABLE events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  request_id TEXT,
  at TEXT NOT NULL,
  kind TEXT NOT NULL,
  actor TEXT NOT NULL,
  details TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX events_by_request ON events (request_id, seq);
