-- Runtime control (issue 12): pauses, running executions (age, backend pid, cancel requests),
-- cancelled outcomes, and the arguments and retry link of an execution in job history.

-- A paused task: no run of it starts on any instance (its pg_cron job is inactive) until resumed.
CREATE TABLE task_pauses (
  task_name text PRIMARY KEY,
  paused_by text NOT NULL,
  reason    text,
  paused_at timestamptz NOT NULL DEFAULT now()
);

-- Executions running for more than a moment, written by the instance running them about once a
-- second; a cancel request is written here by whoever cancels and read by the running instance.
CREATE TABLE running_executions (
  task_name           text NOT NULL,
  execution_id        text NOT NULL,
  instance            text NOT NULL,
  started_at          timestamptz,
  backend_pid         int,
  cancel_requested_by text,
  cancel_requested_at timestamptz,
  PRIMARY KEY (task_name, execution_id)
);
CREATE INDEX running_executions_instance_idx ON running_executions (instance);

ALTER TABLE job_history DROP CONSTRAINT job_history_outcome_check;
ALTER TABLE job_history ADD CONSTRAINT job_history_outcome_check
  CHECK (outcome IN ('succeeded', 'skipped', 'retrying', 'failed', 'dead', 'cancelled'));
-- the arguments a run was triggered with (a flat JSON object of strings), and the execution it re-runs
ALTER TABLE job_history ADD COLUMN args jsonb, ADD COLUMN retry_of text;
