-- Issue 5: code intelligence. External (unresolved) imports per codebase, computed by code-ingest
-- and read by registry-sync; indexes the search and backfill queries need.
CREATE TABLE code_external_imports (
  codebase   text NOT NULL,
  ecosystem  text NOT NULL,
  name       text NOT NULL,
  file_count int NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (codebase, ecosystem, name)
);

CREATE INDEX embeddings_owner_model_idx ON embeddings (owner_type, model, owner_id);
CREATE INDEX code_chunks_file_hash_idx ON code_chunks (file_id, content_hash);
