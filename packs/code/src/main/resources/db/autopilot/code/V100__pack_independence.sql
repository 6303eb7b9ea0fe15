-- The code pack without the knowledge pack: vector-stats-refresh counts templates and knowledge
-- artifacts missing an embedding only where those tables exist (the knowledge pack owns them).
CREATE OR REPLACE PROCEDURE vector_stats_refresh()
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
DECLARE
  idx_bytes bigint;
  g record;
  v_missing bigint;
  v_owner regclass;
BEGIN
  ANALYZE embeddings;
  SELECT coalesce(sum(pg_relation_size(indexrelid)), 0) INTO idx_bytes
    FROM pg_index WHERE indrelid = 'embeddings'::regclass;
  FOR g IN
    SELECT e.model, e.owner_type, count(*) AS vectors, max(e.dims) AS dims,
           avg(CASE WHEN e.norm > 0 THEN e.norm
                    ELSE (SELECT sqrt(sum(x * x)) FROM unnest(e.vector) AS x) END) AS mean_norm
      FROM embeddings e
     GROUP BY e.model, e.owner_type
     ORDER BY e.model, e.owner_type
  LOOP
    v_owner := to_regclass(CASE g.owner_type WHEN 'chunk' THEN 'code_chunks' WHEN 'template' THEN 'templates'
                                             ELSE 'knowledge_artifacts' END);
    v_missing := NULL;
    IF v_owner IS NOT NULL THEN
      EXECUTE format('SELECT count(*) FROM %s o WHERE %s NOT EXISTS (SELECT 1 FROM embeddings e'
                     ' WHERE e.owner_type = $1 AND e.owner_id = o.id AND e.model = $2)',
                     v_owner, CASE WHEN g.owner_type = 'chunk' THEN 'NOT o.superseded AND' ELSE '' END)
        INTO v_missing USING g.owner_type, g.model;
    END IF;
    INSERT INTO vector_stats(model, owner_type, vectors, missing, dims, mean_norm, index_bytes)
    VALUES (g.model, g.owner_type, g.vectors, coalesce(v_missing, 0), g.dims, g.mean_norm, idx_bytes);
  END LOOP;
END;
$$;
