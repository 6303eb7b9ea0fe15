-- Part of the single layout's V002__domain.sql (schema version 50) that belongs to the learning module.
-- Agents and their work -------------------------------------------------------------------
CREATE TABLE agents (
  id            bigserial PRIMARY KEY,
  name          text NOT NULL UNIQUE,
  capabilities  text[] NOT NULL DEFAULT '{}',
  status        text NOT NULL DEFAULT 'idle' CHECK (status IN ('idle', 'busy', 'offline')),
  concurrency   int NOT NULL DEFAULT 1 CHECK (concurrency >= 1),
  strategy      text NOT NULL DEFAULT 'default',
  version       int NOT NULL DEFAULT 1,
  config        jsonb NOT NULL DEFAULT '{}',
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE agent_versions (
  id             bigserial PRIMARY KEY,
  agent_id       bigint NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  version        int NOT NULL,
  concurrency    int NOT NULL,
  strategy       text NOT NULL,
  config         jsonb NOT NULL DEFAULT '{}',
  reason         text NOT NULL DEFAULT '',
  feedback_id    bigint,
  created_at     timestamptz NOT NULL DEFAULT now(),
  rolled_back_at timestamptz,
  UNIQUE (agent_id, version)
);

CREATE TABLE work_plan (
  id          bigserial PRIMARY KEY,
  key         text NOT NULL UNIQUE,
  phase       text NOT NULL,
  title       text NOT NULL,
  description text NOT NULL DEFAULT '',
  position    int NOT NULL DEFAULT 0,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE agent_tasks (
  id                    bigserial PRIMARY KEY,
  title                 text NOT NULL,
  required_capabilities text[] NOT NULL DEFAULT '{}',
  priority              int NOT NULL DEFAULT 0,
  status                text NOT NULL DEFAULT 'pending'
                          CHECK (status IN ('pending', 'assigned', 'running', 'completed', 'failed')),
  agent_id              bigint REFERENCES agents(id) ON DELETE SET NULL,
  attempts              int NOT NULL DEFAULT 0,
  plan_key              text REFERENCES work_plan(key) ON DELETE SET NULL,
  error                 text,
  created_at            timestamptz NOT NULL DEFAULT now(),
  assigned_at           timestamptz,
  started_at            timestamptz,
  completed_at          timestamptz,
  UNIQUE (plan_key)
);
CREATE INDEX agent_tasks_pending_idx ON agent_tasks (priority DESC, created_at) WHERE status = 'pending';
CREATE INDEX agent_tasks_assigned_idx ON agent_tasks (assigned_at) WHERE status = 'assigned';

-- Patterns ----------------------------------------------------------------------------------
CREATE TABLE pattern_observations (
  id          bigserial PRIMARY KEY,
  pattern_key text NOT NULL,
  agent_id    bigint,
  success     boolean NOT NULL,
  context     jsonb NOT NULL DEFAULT '{}',
  observed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pattern_observations_key_idx ON pattern_observations (pattern_key);

CREATE TABLE learned_patterns (
  pattern_key   text PRIMARY KEY,
  usage_count   bigint NOT NULL DEFAULT 0,
  success_count bigint NOT NULL DEFAULT 0,
  confidence    double precision NOT NULL DEFAULT 0,
  last_seen     timestamptz,
  data          jsonb NOT NULL DEFAULT '{}',
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX learned_patterns_updated_idx ON learned_patterns (updated_at);

-- Telemetry, metrics, feedback --------------------------------------------------------------
CREATE TABLE telemetry_events (
  id          bigserial PRIMARY KEY,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  event_type  text NOT NULL DEFAULT 'task',
  task_name   text,
  agent_id    bigint,
  duration_ms bigint,
  success     boolean,
  payload     jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX telemetry_events_occurred_idx ON telemetry_events (occurred_at);

CREATE TABLE metric_rollups (
  bucket_start timestamptz NOT NULL,
  scope        text NOT NULL CHECK (scope IN ('task', 'agent')),
  subject      text NOT NULL,
  count        int NOT NULL,
  failures     int NOT NULL,
  p50_ms       double precision,
  p95_ms       double precision,
  max_ms       double precision,
  PRIMARY KEY (bucket_start, scope, subject)
);

CREATE TABLE feedback (
  id          bigserial PRIMARY KEY,
  kind        text NOT NULL,
  scope       text NOT NULL,
  subject     text NOT NULL,
  detail      jsonb NOT NULL DEFAULT '{}',
  status      text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'applied', 'resolved')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz
);
CREATE UNIQUE INDEX feedback_open_idx ON feedback (kind, scope, subject) WHERE status <> 'resolved';
