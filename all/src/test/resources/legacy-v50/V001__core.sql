-- Autopilot core schema: db-scheduler's table, job history, task state and progress.
-- Runs with search_path set to Autopilot's schema (default "autopilot"). To apply by hand:
--   psql -c 'CREATE SCHEMA IF NOT EXISTS autopilot'
--   PGOPTIONS='-c search_path=autopilot,public' psql -v ON_ERROR_STOP=1 -1 -f V001__core.sql

-- db-scheduler 16.x, PostgreSQL flavour, with the priority column (priorities are on).
CREATE TABLE scheduled_tasks (
  task_name            text NOT NULL,
  task_instance        text NOT NULL,
  task_data            bytea,
  execution_time       timestamptz NOT NULL,
  picked               boolean NOT NULL,
  picked_by            text,
  last_success         timestamptz,
  last_failure         timestamptz,
  consecutive_failures int,
  last_heartbeat       timestamptz,
  version              bigint NOT NULL,
  priority             smallint,
  PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);

-- Every finished attempt of every task, on both engines.
CREATE TABLE job_history (
  id            bigserial PRIMARY KEY,
  task_name     text NOT NULL,
  execution_id  text NOT NULL,
  engine        text NOT NULL CHECK (engine IN ('db-scheduler', 'pg_cron')),
  outcome       text NOT NULL CHECK (outcome IN ('succeeded', 'skipped', 'retrying', 'failed', 'dead')),
  attempt       int NOT NULL DEFAULT 1 CHECK (attempt >= 1),
  instance      text,
  scheduled_at  timestamptz,
  started_at    timestamptz NOT NULL,
  finished_at   timestamptz NOT NULL,
  duration_ms   bigint NOT NULL DEFAULT 0,
  error_class   text,
  error_message text,
  cron_run_id   bigint UNIQUE
);
CREATE INDEX job_history_task_finished_idx ON job_history (task_name, finished_at DESC);
CREATE INDEX job_history_outcome_finished_idx ON job_history (outcome, finished_at DESC);
CREATE INDEX job_history_finished_idx ON job_history (finished_at DESC);

-- Per-task key/value state: watermarks, cursors, last synced commits.
CREATE TABLE task_state (
  task_name  text NOT NULL,
  key        text NOT NULL,
  value      text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (task_name, key)
);

-- Progress of running executions, written at most about once a second per execution.
CREATE TABLE task_progress (
  task_name    text NOT NULL,
  execution_id text NOT NULL,
  instance     text,
  done         bigint NOT NULL DEFAULT 0,
  total        bigint NOT NULL DEFAULT -1,
  message      text NOT NULL DEFAULT '',
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (task_name, execution_id)
);
