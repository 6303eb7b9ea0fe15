-- Part of the single layout's V003__sql_task_support.sql (schema version 50) that belongs to the learning module.
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
