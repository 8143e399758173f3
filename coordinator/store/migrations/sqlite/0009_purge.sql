-- When a closed request's personal data was purged (its spool, bundle,
-- letters and personal fields); its skeleton and audit trail stay. A request
-- purged while a retention hold of it was active keeps its (sealed) subject
-- until the hold's follow-up erasure is filed: subject_kept says so.
ALTER TABLE requests ADD COLUMN purged_at TEXT;
ALTER TABLE requests ADD COLUMN subject_kept INTEGER NOT NULL DEFAULT 0;
CREATE INDEX requests_by_completed ON requests (completed_at);
