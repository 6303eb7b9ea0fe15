-- Support objects for the pure-SQL tasks (issue 3): skip markers, change sequence for the fleet
-- sync, hub configuration, the default roadmap. Runs with search_path = <schema>, public.
--
-- Every procedure in V003..V009 is created with SET search_path FROM CURRENT (captured here as
-- "<schema>, public"), so it works when pg_cron calls it with the default search_path.
-- The one exception is cache_cleanup_expired (V005): it COMMITs between batches, which a
-- procedure with a SET clause may not do, so its body is generated with schema-qualified names.

-- A SQL task that decides not to work (no hub configured, not the first Sunday, ...) calls
-- note_skip(task, reason). Both engines turn a run that left such a marker into a 'skipped'
-- history row: db-scheduler reads it right after the call, the pg_cron importer matches the
-- marker's time against the run's start and end.
CREATE PROCEDURE note_skip(p_task text, p_reason text)
LANGUAGE sql
SET search_path FROM CURRENT
AS $$
  INSERT INTO task_state(task_name, key, value, updated_at)
  VALUES (p_task, 'skipped', p_reason, clock_timestamp())
  ON CONFLICT (task_name, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at;
$$;

-- Learned patterns get a monotonically increasing change number whenever pattern-learning
-- changes them; centralcloud-sync pushes everything above its watermark. (A sequence, not
-- updated_at: now() is the transaction start and would let a late commit slip under the mark.)
CREATE SEQUENCE learned_patterns_change_seq;
ALTER TABLE learned_patterns ADD COLUMN change_seq bigint NOT NULL DEFAULT 0;
CREATE INDEX learned_patterns_change_seq_idx ON learned_patterns (change_seq);

-- The fleet hub of centralcloud-sync. No row (or enabled = false) means "no hub": the task
-- records 'skipped'. configure_hub(...) (V004) creates the postgres_fdw server, user mapping and
-- the foreign table, and fills this row.
CREATE TABLE hub_config (
  id            boolean PRIMARY KEY DEFAULT true CHECK (id),
  enabled       boolean NOT NULL DEFAULT true,
  instance_id   text NOT NULL,
  server_name   text NOT NULL,
  foreign_table text NOT NULL,
  configured_at timestamptz NOT NULL DEFAULT now()
);
