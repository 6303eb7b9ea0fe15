-- Part of the single layout's V002__domain.sql (schema version 50) that belongs to the core module.
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
