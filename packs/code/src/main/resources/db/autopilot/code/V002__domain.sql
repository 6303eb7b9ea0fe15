-- Part of the single layout's V002__domain.sql (schema version 50) that belongs to the code module.
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
