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

-- planning-seed -----------------------------------------------------------------------------
-- The bundled default roadmap: a JSON array of {key, phase, title, description, capabilities,
-- priority}. A host replaces it by passing its own array (Autopilot: the file named by
-- autopilot.task.planning-seed.roadmap).
CREATE FUNCTION default_roadmap()
RETURNS jsonb
LANGUAGE sql IMMUTABLE
AS $$
  SELECT $json$[
    {"key": "foundation.schema",      "phase": "foundation", "title": "Install and verify the Autopilot schema",
     "description": "Migrations applied, procedures present, pg_cron or fallback engine chosen.",
     "capabilities": ["database"], "priority": 100},
    {"key": "foundation.backups",     "phase": "foundation", "title": "First verified backup",
     "description": "An hourly and a daily backup exist and restore.", "capabilities": ["database"], "priority": 95},
    {"key": "knowledge.load",         "phase": "knowledge",  "title": "Load knowledge artifacts",
     "description": "Knowledge JSON loaded, rejects reviewed.", "capabilities": ["knowledge"], "priority": 90},
    {"key": "knowledge.templates",    "phase": "knowledge",  "title": "Sync code templates",
     "description": "Local and Git templates in the templates table.", "capabilities": ["knowledge"], "priority": 85},
    {"key": "code.ingest",            "phase": "code",       "title": "Ingest the codebases",
     "description": "Files chunked, imports in the dependency graph, chunks embedded.", "capabilities": ["code"], "priority": 80},
    {"key": "code.graph",             "phase": "code",       "title": "Rank the dependency graph",
     "description": "graph-populate and pagerank-recalculation over the ingested graph.", "capabilities": ["code"], "priority": 75},
    {"key": "code.dead-code",         "phase": "code",       "title": "Review dead-code findings",
     "description": "First daily check reviewed; entry-point patterns configured.", "capabilities": ["code", "review"], "priority": 60},
    {"key": "learning.patterns",      "phase": "learning",   "title": "Learn patterns from agent work",
     "description": "pattern-learning folding observations; confident patterns exported.", "capabilities": ["learning"], "priority": 50},
    {"key": "learning.feedback",      "phase": "learning",   "title": "Close the feedback loop",
     "description": "Metrics rolled up, feedback raised, agent changes versioned.", "capabilities": ["learning"], "priority": 40},
    {"key": "operations.fleet",       "phase": "operations", "title": "Connect to the fleet hub",
     "description": "configure_hub called; centralcloud-sync pushing patterns.", "capabilities": ["operations"], "priority": 30}
  ]$json$::jsonb
$$;

-- Inserts the roadmap's work_plan rows and one agent task per item; existing keys are left as they
-- are (ON CONFLICT DO NOTHING), so a second run inserts nothing and edits made since survive.
CREATE PROCEDURE planning_seed(p_roadmap jsonb DEFAULT NULL)
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
DECLARE
  roadmap jsonb := coalesce(p_roadmap, default_roadmap());
  bad     record;
BEGIN
  IF jsonb_typeof(roadmap) <> 'array' THEN
    RAISE EXCEPTION 'planning-seed: the roadmap must be a JSON array, got %', jsonb_typeof(roadmap);
  END IF;
  SELECT o.n, o.item INTO bad
    FROM jsonb_array_elements(roadmap) WITH ORDINALITY AS o(item, n)
   WHERE jsonb_typeof(o.item) <> 'object'
      OR coalesce(o.item->>'key', '') = '' OR coalesce(o.item->>'phase', '') = '' OR coalesce(o.item->>'title', '') = ''
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'planning-seed: roadmap item % needs non-empty key, phase and title: %', bad.n, bad.item;
  END IF;
  INSERT INTO work_plan(key, phase, title, description, position)
  SELECT o.item->>'key', o.item->>'phase', o.item->>'title', coalesce(o.item->>'description', ''), o.n
    FROM jsonb_array_elements(roadmap) WITH ORDINALITY AS o(item, n)
  ON CONFLICT (key) DO NOTHING;
  INSERT INTO agent_tasks(title, required_capabilities, priority, plan_key)
  SELECT o.item->>'title',
         coalesce(ARRAY(SELECT jsonb_array_elements_text(o.item->'capabilities')), '{}'),
         coalesce((o.item->>'priority')::int, 0),
         o.item->>'key'
    FROM jsonb_array_elements(roadmap) WITH ORDINALITY AS o(item, n)
  ON CONFLICT (plan_key) DO NOTHING;
END;
$$;
