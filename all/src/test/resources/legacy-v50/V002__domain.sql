-- Autopilot domain schema: the tables every task of TASKS.md works on.
-- Runs with search_path set to Autopilot's schema. Later migrations add procedures and columns.

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

-- Packages ----------------------------------------------------------------------------------
CREATE TABLE package_registry (
  id         bigserial PRIMARY KEY,
  ecosystem  text NOT NULL,
  name       text NOT NULL,
  version    text NOT NULL DEFAULT '',
  source     text NOT NULL DEFAULT 'manifest',
  first_seen timestamptz NOT NULL DEFAULT now(),
  last_seen  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (ecosystem, name, version)
);

CREATE TABLE package_usage (
  id            bigserial PRIMARY KEY,
  codebase      text NOT NULL,
  manifest_path text NOT NULL,
  ecosystem     text NOT NULL,
  name          text NOT NULL,
  version_spec  text NOT NULL DEFAULT '',
  scope         text NOT NULL DEFAULT 'runtime',
  recorded_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (codebase, manifest_path, ecosystem, name)
);

CREATE TABLE package_cache (
  cache_key  text PRIMARY KEY,
  ecosystem  text NOT NULL,
  name       text NOT NULL,
  version    text NOT NULL DEFAULT '',
  payload    jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX package_cache_expires_at_idx ON package_cache (expires_at);

-- Code --------------------------------------------------------------------------------------
CREATE TABLE code_files (
  id           bigserial PRIMARY KEY,
  codebase     text NOT NULL,
  path         text NOT NULL,
  language     text NOT NULL DEFAULT 'text',
  content_hash text NOT NULL,
  size_bytes   bigint NOT NULL DEFAULT 0,
  line_count   int NOT NULL DEFAULT 0,
  deleted      boolean NOT NULL DEFAULT false,
  deleted_at   timestamptz,
  ingested_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (codebase, path)
);

CREATE TABLE code_chunks (
  id           bigserial PRIMARY KEY,
  file_id      bigint NOT NULL REFERENCES code_files(id) ON DELETE CASCADE,
  chunk_index  int NOT NULL,
  kind         text NOT NULL DEFAULT 'window',
  symbol       text,
  start_line   int NOT NULL,
  end_line     int NOT NULL,
  content      text NOT NULL,
  content_hash text NOT NULL,
  file_hash    text NOT NULL,
  superseded   boolean NOT NULL DEFAULT false,
  created_at   timestamptz NOT NULL DEFAULT now(),
  tsv          tsvector GENERATED ALWAYS AS (to_tsvector('simple', content)) STORED
);
CREATE INDEX code_chunks_file_idx ON code_chunks (file_id) WHERE NOT superseded;
CREATE INDEX code_chunks_tsv_idx ON code_chunks USING gin (tsv);

-- One row per (owner, model). The pgvector column "vec" is added by rag-setup where the
-- extension exists; "vector" (real[]) is always filled and is the fallback's storage.
CREATE TABLE embeddings (
  id         bigserial PRIMARY KEY,
  owner_type text NOT NULL CHECK (owner_type IN ('chunk', 'template', 'knowledge')),
  owner_id   bigint NOT NULL,
  model      text NOT NULL,
  dims       int NOT NULL,
  vector     real[] NOT NULL,
  norm       real NOT NULL DEFAULT 0,
  source_hash text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (owner_type, owner_id, model)
);

CREATE TABLE graph_nodes (
  id             bigserial PRIMARY KEY,
  codebase       text NOT NULL,
  path           text NOT NULL,
  kind           text NOT NULL DEFAULT 'file',
  language       text,
  is_entry_point boolean NOT NULL DEFAULT false,
  dependency_ids bigint[] NOT NULL DEFAULT '{}',
  dependent_ids  bigint[] NOT NULL DEFAULT '{}',
  in_degree      int NOT NULL DEFAULT 0,
  out_degree     int NOT NULL DEFAULT 0,
  pagerank       double precision,
  updated_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (codebase, path)
);

CREATE TABLE graph_edges (
  source_id bigint NOT NULL REFERENCES graph_nodes(id) ON DELETE CASCADE,
  target_id bigint NOT NULL REFERENCES graph_nodes(id) ON DELETE CASCADE,
  kind      text NOT NULL DEFAULT 'import',
  PRIMARY KEY (source_id, target_id, kind)
);
CREATE INDEX graph_edges_target_idx ON graph_edges (target_id);

CREATE TABLE dead_code_findings (
  id          bigserial PRIMARY KEY,
  node_id     bigint REFERENCES graph_nodes(id) ON DELETE SET NULL,
  codebase    text NOT NULL,
  path        text NOT NULL,
  status      text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  first_seen  timestamptz NOT NULL DEFAULT now(),
  last_seen   timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz
);
CREATE UNIQUE INDEX dead_code_open_idx ON dead_code_findings (codebase, path) WHERE status = 'open';

-- Knowledge and templates -------------------------------------------------------------------
CREATE TABLE knowledge_artifacts (
  id            bigserial PRIMARY KEY,
  artifact_type text NOT NULL,
  artifact_id   text NOT NULL,
  title         text NOT NULL DEFAULT '',
  content       jsonb NOT NULL,
  content_hash  text NOT NULL,
  source_file   text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (artifact_type, artifact_id)
);

CREATE TABLE knowledge_rejects (
  id           bigserial PRIMARY KEY,
  source_file  text NOT NULL,
  reason       text NOT NULL,
  content_hash text,
  rejected_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE templates (
  id           bigserial PRIMARY KEY,
  path         text NOT NULL UNIQUE,
  name         text NOT NULL,
  language     text,
  content      text NOT NULL,
  content_hash text NOT NULL,
  source       text NOT NULL DEFAULT 'local' CHECK (source IN ('local', 'git')),
  git_commit   text,
  updated_at   timestamptz NOT NULL DEFAULT now()
);

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

-- Artifacts, backups, statistics, reports ---------------------------------------------------
CREATE TABLE artifacts (
  id         bigserial PRIMARY KEY,
  kind       text NOT NULL,
  name       text NOT NULL,
  payload    jsonb NOT NULL DEFAULT '{}',
  pinned     boolean NOT NULL DEFAULT false,
  expires_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX artifacts_expiry_idx ON artifacts (expires_at) WHERE NOT pinned;

CREATE TABLE backups (
  id          bigserial PRIMARY KEY,
  kind        text NOT NULL CHECK (kind IN ('hourly', 'daily', 'manual')),
  status      text NOT NULL CHECK (status IN ('running', 'verified', 'failed', 'deleted')),
  file_path   text,
  size_bytes  bigint,
  sha256      text,
  started_at  timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  duration_ms bigint,
  archived    boolean NOT NULL DEFAULT false,
  error       text
);
CREATE INDEX backups_kind_idx ON backups (kind, status, started_at DESC);

CREATE TABLE backup_archive (
  id          bigint PRIMARY KEY,
  kind        text NOT NULL,
  status      text NOT NULL,
  file_path   text,
  size_bytes  bigint,
  sha256      text,
  started_at  timestamptz NOT NULL,
  finished_at timestamptz,
  duration_ms bigint,
  archived    boolean NOT NULL,
  error       text,
  moved_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE table_stats_history (
  id                  bigserial PRIMARY KEY,
  captured_at         timestamptz NOT NULL DEFAULT now(),
  table_name          text NOT NULL,
  live_tuples         bigint,
  dead_tuples         bigint,
  total_bytes         bigint,
  seq_scan            bigint,
  idx_scan            bigint,
  n_mod_since_analyze bigint,
  last_analyze        timestamptz,
  analyzed_now        boolean NOT NULL DEFAULT false
);

CREATE TABLE vector_stats (
  id          bigserial PRIMARY KEY,
  captured_at timestamptz NOT NULL DEFAULT now(),
  model       text NOT NULL,
  owner_type  text NOT NULL,
  vectors     bigint NOT NULL,
  missing     bigint NOT NULL,
  dims        int,
  mean_norm   double precision,
  index_bytes bigint
);

CREATE TABLE reports (
  id           bigserial PRIMARY KEY,
  kind         text NOT NULL,
  title        text NOT NULL,
  body         text NOT NULL,
  period_start timestamptz,
  period_end   timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now()
);
