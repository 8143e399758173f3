-- The outbox of reminders and escalations to the DPO: one row per event and
-- channel, so that each is delivered once however often the engine restarts.
CREATE TABLE notifications (
  id TEXT PRIMARY KEY,
  event_key TEXT NOT NULL,
  channel TEXT NOT NULL,
  kind TEXT NOT NULL,
  request_id TEXT REFERENCES requests (id),
  payload TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  next_attempt_at TEXT NOT NULL,
  last_error TEXT,
  created_at TEXT NOT NULL,
  sent_at TEXT,
  UNIQUE (event_key, channel)
);
CREATE INDEX notifications_to_send ON notifications (status, next_attempt_at);
CREATE INDEX notifications_by_request ON notifications (request_id, created_at);
