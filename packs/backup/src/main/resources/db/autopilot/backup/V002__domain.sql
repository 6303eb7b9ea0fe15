-- Part of the single layout's V002__domain.sql (schema version 50) that belongs to the backup module.
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
