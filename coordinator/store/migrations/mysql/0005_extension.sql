-- The one extension of the deadline by two further months (Art. 12(3)): the
-- extended due date, when and why it was decided, and the notice that tells
-- the data subject.
ALTER TABLE requests ADD COLUMN extended_due_on VARCHAR(10);
ALTER TABLE requests ADD COLUMN extended_at VARCHAR(40);
ALTER TABLE requests ADD COLUMN extension_reason MEDIUMTEXT;
ALTER TABLE requests ADD COLUMN extension_letter_path MEDIUMTEXT;
