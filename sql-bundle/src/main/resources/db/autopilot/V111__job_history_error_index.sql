-- The dashboard's text search in errors at a million history rows (issue 13): it walks only the
-- rows that have an error, newest first. Partial, so a row without an error (the common case)
-- costs no index work when history is written.
CREATE INDEX job_history_error_finished_idx ON job_history (finished_at DESC, id DESC) WHERE error_message IS NOT NULL;
