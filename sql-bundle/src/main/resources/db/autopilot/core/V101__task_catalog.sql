-- Running hosts record who they are and which tasks they have, so that operator tools (the CLI,
-- the dashboard) learn the task set from the database, never from a catalog compiled into them.
-- An instance heartbeats every 15 s; it counts as live while its heartbeat is under a minute old
-- and it has not stopped. Rows of instances gone for a week are pruned by the next start.
CREATE TABLE autopilot_instances (
  instance       text PRIMARY KEY,
  started_at     timestamptz NOT NULL DEFAULT now(),
  heartbeat_at   timestamptz NOT NULL DEFAULT now(),
  stopped_at     timestamptz,
  packs          text[] NOT NULL DEFAULT '{}',
  schema_version int
);

CREATE TABLE task_catalog (
  instance         text NOT NULL REFERENCES autopilot_instances (instance) ON DELETE CASCADE,
  task_name        text NOT NULL,
  pack             text NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('java', 'sql')),
  engine           text NOT NULL,
  engine_reason    text,
  schedule         text,
  startup_priority int,
  enabled          boolean NOT NULL,
  description      text,
  PRIMARY KEY (instance, task_name)
);
CREATE INDEX task_catalog_task_idx ON task_catalog (task_name);
