-- The dashboard and the reports ask for the extensions made in a period.
CREATE INDEX requests_by_extended ON requests (extended_at);
