-- The language a user chose for the web interface ("de" or "en"); null until
-- they choose, when the page follows the browser's language.
ALTER TABLE users ADD COLUMN language VARCHAR(8);
