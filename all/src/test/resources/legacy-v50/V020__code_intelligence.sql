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

-- A counter bumped by every statement that writes embeddings: the in-process vector scan of
-- the real[] storage reloads its copy when it changes (one row read per search instead of an
-- aggregate over all vectors).
CREATE TABLE embeddings_version (
  id      int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  version bigint NOT NULL DEFAULT 0
);
INSERT INTO embeddings_version (id, version) VALUES (1, 0);

CREATE FUNCTION embeddings_bump_version() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
  UPDATE embeddings_version SET version = version + 1 WHERE id = 1;
  RETURN NULL;
END
$$;

CREATE TRIGGER embeddings_version_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON embeddings
  FOR EACH STATEMENT EXECUTE FUNCTION embeddings_bump_version();
