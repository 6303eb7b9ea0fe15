-- Part of the single layout's V010__bootstrap.sql (schema version 50) that belongs to the knowledge module.
-- A rerun over the same bad file must not add another reject row.
CREATE UNIQUE INDEX knowledge_rejects_file_hash_idx ON knowledge_rejects (source_file, content_hash);
