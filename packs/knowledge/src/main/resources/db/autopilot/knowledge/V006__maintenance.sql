-- Part of the single layout's V006__maintenance.sql (schema version 50) that belongs to the knowledge module.
-- cleanup-artifacts -------------------------------------------------------------------------
CREATE PROCEDURE cleanup_artifacts(p_max_age interval DEFAULT '30 days')
LANGUAGE sql
SET search_path FROM CURRENT
AS $$
  DELETE FROM artifacts
   WHERE NOT pinned
     AND (expires_at <= now() OR created_at < now() - p_max_age);
$$;
