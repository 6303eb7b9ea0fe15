-- Part of the single layout's V008__backups_planning.sql (schema version 50) that belongs to the backup module.
-- backup-archival and planning-seed.

-- backup-archival ---------------------------------------------------------------------------
-- Scheduled "0 5 * * 0" (every Sunday 05:00): cron ORs day-of-month and day-of-week when both are
-- restricted, so "0 5 1-7 * 0" would run on days 1-7 AND on every Sunday. The procedure itself
-- lets only the first Sunday of a month through (day <= 7) and records 'skipped' otherwise.
-- It pins the newest verified daily backup (archived = true: rotation never deletes it) and moves
-- catalog rows of deleted or failed backups older than p_retention to backup_archive.
-- p_today is for tests and manual runs; p_force skips the first-Sunday check.
CREATE PROCEDURE backup_archival(
  p_retention interval DEFAULT '90 days',
  p_today     date DEFAULT NULL,
  p_force     boolean DEFAULT false)
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
DECLARE
  v_day date := coalesce(p_today, (now() AT TIME ZONE 'UTC')::date);
BEGIN
  IF NOT p_force AND NOT (extract(isodow FROM v_day) = 7 AND extract(day FROM v_day) <= 7) THEN
    CALL note_skip('backup-archival', format('%s is not the first Sunday of its month', v_day));
    RETURN;
  END IF;
  UPDATE backups SET archived = true
   WHERE id = (SELECT id FROM backups WHERE kind = 'daily' AND status = 'verified'
                ORDER BY started_at DESC, id DESC LIMIT 1)
     AND NOT archived;
  WITH moved AS (
    DELETE FROM backups
     WHERE NOT archived AND status IN ('deleted', 'failed') AND started_at < now() - p_retention
    RETURNING *)
  INSERT INTO backup_archive(id, kind, status, file_path, size_bytes, sha256, started_at, finished_at,
                             duration_ms, archived, error)
  SELECT id, kind, status, file_path, size_bytes, sha256, started_at, finished_at, duration_ms, archived, error
    FROM moved
  ON CONFLICT (id) DO NOTHING;
END;
$$;
