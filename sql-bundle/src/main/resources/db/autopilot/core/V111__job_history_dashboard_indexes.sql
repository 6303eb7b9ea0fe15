-- The dashboard's jobs page at a million history rows (issue 13).

-- A task's newest runs (the tasks screen, Monitor.tasks(), the jobs page filtered by task) in the
-- page order (finished_at DESC, id DESC): with the id in the index the planner takes one range of
-- it per task; without it, it walked the whole finished_at index for a task with few runs (2.5 s
-- at a million rows). Replaces the (task_name, finished_at DESC) index: same count of indexes.
CREATE INDEX job_history_task_finished_id_idx ON job_history (task_name, finished_at DESC, id DESC);
DROP INDEX job_history_task_finished_idx;

-- Text search in errors: trigram index on the rows that have an error (partial, so a row without
-- an error costs no index work). pg_trgm ships with PostgreSQL (contrib) and is a trusted
-- extension; where it cannot be created the search scans the rows with an error instead.
CREATE INDEX job_history_error_finished_idx ON job_history (finished_at DESC, id DESC) WHERE error_message IS NOT NULL;
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
    BEGIN
      CREATE EXTENSION IF NOT EXISTS pg_trgm;
      EXECUTE 'CREATE INDEX job_history_error_trgm_idx ON job_history USING gin (error_message gin_trgm_ops)'
        || ' WHERE error_message IS NOT NULL';
    EXCEPTION WHEN insufficient_privilege OR undefined_object OR feature_not_supported THEN
      RAISE NOTICE 'pg_trgm not usable (%): text search in job errors scans the rows with an error', SQLERRM;
    END;
  END IF;
END $$;
