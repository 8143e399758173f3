-- Where the sources disagree about the subject's attributes, found when a
-- request's tasks have all succeeded (JSON list).
ALTER TABLE requests ADD COLUMN consistency MEDIUMTEXT;
