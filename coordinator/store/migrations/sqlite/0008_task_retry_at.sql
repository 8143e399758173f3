-- When a task waiting to be retried may be handed out again (UTC, RFC 3339),
-- so that the back-off between attempts survives a coordinator restart.
ALTER TABLE tasks ADD COLUMN retry_at TEXT;
