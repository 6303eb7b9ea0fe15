-- Part of the single layout's V002__domain.sql (schema version 50) that belongs to the knowledge module.
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
