-- Part of the single layout's V006__maintenance.sql (schema version 50) that belongs to the code module.
-- cleanup-code-chunks -----------------------------------------------------------------------
-- Chunks of deleted files, chunks marked superseded, and chunks cut from an older version of
-- their file (file_hash no longer the file's content_hash) go, with their embeddings; so do
-- chunk embeddings whose chunk no longer exists.
CREATE PROCEDURE cleanup_code_chunks()
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
BEGIN
  WITH doomed AS (
    SELECT c.id FROM code_chunks c JOIN code_files f ON f.id = c.file_id
     WHERE f.deleted OR c.superseded OR c.file_hash <> f.content_hash),
  gone AS (
    DELETE FROM embeddings e USING doomed d WHERE e.owner_type = 'chunk' AND e.owner_id = d.id)
  DELETE FROM code_chunks c USING doomed d WHERE c.id = d.id;
  DELETE FROM embeddings e
   WHERE e.owner_type = 'chunk' AND NOT EXISTS (SELECT 1 FROM code_chunks c WHERE c.id = e.owner_id);
END;
$$;

-- vector-stats-refresh ----------------------------------------------------------------------
-- ANALYZEs the embedding table, then records per (model, owner type): vectors, owners of that
-- type with no embedding of that model, dimensions, mean L2 norm, and the size of the
-- embedding table's indexes (pgvector HNSW included once rag-setup created it).
CREATE PROCEDURE vector_stats_refresh()
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
DECLARE
  idx_bytes bigint;
BEGIN
  ANALYZE embeddings;
  SELECT coalesce(sum(pg_relation_size(indexrelid)), 0) INTO idx_bytes
    FROM pg_index WHERE indrelid = 'embeddings'::regclass;
  INSERT INTO vector_stats(model, owner_type, vectors, missing, dims, mean_norm, index_bytes)
  SELECT g.model, g.owner_type, g.vectors,
         CASE g.owner_type
           WHEN 'chunk' THEN (SELECT count(*) FROM code_chunks c WHERE NOT c.superseded AND NOT EXISTS
                               (SELECT 1 FROM embeddings e WHERE e.owner_type = 'chunk' AND e.owner_id = c.id AND e.model = g.model))
           WHEN 'template' THEN (SELECT count(*) FROM templates t WHERE NOT EXISTS
                               (SELECT 1 FROM embeddings e WHERE e.owner_type = 'template' AND e.owner_id = t.id AND e.model = g.model))
           ELSE (SELECT count(*) FROM knowledge_artifacts k WHERE NOT EXISTS
                               (SELECT 1 FROM embeddings e WHERE e.owner_type = 'knowledge' AND e.owner_id = k.id AND e.model = g.model))
         END,
         g.dims, g.mean_norm, idx_bytes
    FROM (SELECT e.model, e.owner_type, count(*) AS vectors, max(e.dims) AS dims,
                 avg(CASE WHEN e.norm > 0 THEN e.norm
                          ELSE (SELECT sqrt(sum(x * x)) FROM unnest(e.vector) AS x) END) AS mean_norm
            FROM embeddings e
           GROUP BY e.model, e.owner_type) g
   ORDER BY g.model, g.owner_type;
END;
$$;
