-- Job history is written for every execution; keep its per-row index work small.
-- cron_run_id is set only for runs imported from pg_cron: a partial unique index skips the NULLs
-- of every db-scheduler row (the importer's ON CONFLICT names the same predicate).
ALTER TABLE job_history DROP CONSTRAINT job_history_cron_run_id_key;
CREATE UNIQUE INDEX job_history_cron_run_id_idx ON job_history (cron_run_id) WHERE cron_run_id IS NOT NULL;
