-- Why an outcome is what it is, in plain words for the agent (for example
-- why rectification does not apply to a mailbox).
ALTER TABLE task_outcomes ADD COLUMN note MEDIUMTEXT;
