-- The outbox of reminders and escalations to the DPO: one row per event and
-- channel, so that each is delivered once however often the engine restarts.
CREATE TABLE notifications (
  id VARCHAR(64) NOT NULL PRIMARY KEY,
  event_key VARCHAR(255) NOT NULL,
  channel VARCHAR(64) NOT NULL,
  kind VARCHAR(64) NOT NULL,
  request_id VARCHAR(64),
  payload MEDIUMTEXT NOT NULL,
  status VARCHAR(32) NOT NULL,
  attempts INT NOT NULL,
  next_attempt_at VARCHAR(40) NOT NULL,
  last_error MEDIUMTEXT,
  created_at VARCHAR(40) NOT NULL,
  sent_at VARCHAR(40),
  UNIQUE (event_key, channel),
  INDEX notifications_to_send (status, next_attempt_at),
  INDEX notifications_by_request (request_id, created_at),
  FOREIGN KEY (request_id) REFERENCES requests (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
