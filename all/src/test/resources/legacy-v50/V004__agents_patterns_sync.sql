-- task-assignment, pattern-learning, centralcloud-sync (and configure_hub for its hub).

-- task-assignment ---------------------------------------------------------------------------
-- First requeues assignments nobody started within p_stale (attempts + 1; 'failed' once attempts
-- reach p_max_attempts), then hands pending tasks (priority desc, oldest first) to idle agents
-- whose capabilities cover the task. Tasks and agents are taken with FOR UPDATE SKIP LOCKED, so
-- concurrent runs (two pg_cron nodes, a manual trigger) never assign one task twice or give one
-- agent two tasks: each run only sees rows no other run holds.
CREATE PROCEDURE task_assignment(
  p_stale        interval DEFAULT '30 minutes',
  p_max_attempts int      DEFAULT 5,
  p_limit        int      DEFAULT 1000)
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
DECLARE
  t        record;
  v_agent  bigint;
  released bigint[];
BEGIN
  WITH stale AS (
    SELECT id, agent_id FROM agent_tasks
     WHERE status = 'assigned' AND assigned_at < now() - p_stale
     ORDER BY assigned_at
     FOR UPDATE SKIP LOCKED),
  requeued AS (
    UPDATE agent_tasks a
       SET attempts    = a.attempts + 1,
           status      = CASE WHEN a.attempts + 1 >= p_max_attempts THEN 'failed' ELSE 'pending' END,
           error       = CASE WHEN a.attempts + 1 >= p_max_attempts
                              THEN format('not started within %s after %s attempts', p_stale, a.attempts + 1)
                              ELSE a.error END,
           completed_at = CASE WHEN a.attempts + 1 >= p_max_attempts THEN now() END,
           agent_id    = NULL,
           assigned_at = NULL
      FROM stale s
     WHERE a.id = s.id
    RETURNING s.agent_id AS old_agent)
  SELECT array_agg(DISTINCT old_agent) INTO released FROM requeued WHERE old_agent IS NOT NULL;

  -- an agent that never started its task is free again unless it holds other work
  IF released IS NOT NULL THEN
    UPDATE agents g SET status = 'idle', updated_at = now()
     WHERE g.id = ANY (released) AND g.status = 'busy'
       AND NOT EXISTS (SELECT 1 FROM agent_tasks x
                        WHERE x.agent_id = g.id AND x.status IN ('assigned', 'running'));
  END IF;

  IF NOT EXISTS (SELECT 1 FROM agents WHERE status = 'idle') THEN
    RETURN;
  END IF;
  FOR t IN
    SELECT id, required_capabilities FROM agent_tasks
     WHERE status = 'pending'
     ORDER BY priority DESC, created_at, id
     LIMIT p_limit
     FOR UPDATE SKIP LOCKED
  LOOP
    v_agent := NULL;
    SELECT id INTO v_agent FROM agents
     WHERE status = 'idle' AND capabilities @> t.required_capabilities
     ORDER BY updated_at, id
     LIMIT 1
     FOR UPDATE SKIP LOCKED;
    IF v_agent IS NOT NULL THEN
      UPDATE agents SET status = 'busy', updated_at = now() WHERE id = v_agent;
      UPDATE agent_tasks SET status = 'assigned', agent_id = v_agent, assigned_at = now() WHERE id = t.id;
      EXIT WHEN NOT EXISTS (SELECT 1 FROM agents WHERE status = 'idle');
    END IF;
  END LOOP;
END;
$$;

-- pattern-learning --------------------------------------------------------------------------
-- Wilson score interval lower bound: a confidence that does not trust 1 success out of 1.
CREATE FUNCTION wilson_lower_bound(p_successes bigint, p_total bigint, p_z double precision DEFAULT 1.96)
RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT CASE WHEN p_total IS NULL OR p_total <= 0 THEN 0::double precision ELSE
    ((p_successes::double precision / p_total) + p_z * p_z / (2 * p_total)
      - p_z * sqrt(((p_successes::double precision / p_total) * (1 - p_successes::double precision / p_total)
                    + p_z * p_z / (4 * p_total)) / p_total))
    / (1 + p_z * p_z / p_total) END
$$;

-- Folds observations with id above the stored watermark (task_state 'pattern-learning' /
-- 'watermark') into learned_patterns. The watermark row is locked for the run, so concurrent
-- runs serialize, and it advances in the same transaction as the counts: a crash folds nothing
-- twice. Known limit: an observation whose inserting transaction commits after a run has
-- already passed its id is not folded (ids are allocated at insert, not commit); writers that
-- insert observations in short transactions make this practically irrelevant.
CREATE PROCEDURE pattern_learning(p_z double precision DEFAULT 1.96)
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
DECLARE
  wm bigint;
  hi bigint;
BEGIN
  INSERT INTO task_state(task_name, key, value) VALUES ('pattern-learning', 'watermark', '0')
  ON CONFLICT DO NOTHING;
  SELECT value::bigint INTO wm FROM task_state
   WHERE task_name = 'pattern-learning' AND key = 'watermark' FOR UPDATE;
  SELECT max(id) INTO hi FROM pattern_observations WHERE id > wm;
  IF hi IS NULL THEN
    RETURN; -- nothing new: nothing changes, not even updated_at
  END IF;
  INSERT INTO learned_patterns AS lp (pattern_key, usage_count, success_count, confidence, last_seen, updated_at, change_seq)
  SELECT o.pattern_key, count(*), count(*) FILTER (WHERE o.success),
         wilson_lower_bound(count(*) FILTER (WHERE o.success), count(*), p_z),
         max(o.observed_at), now(), nextval('learned_patterns_change_seq')
    FROM pattern_observations o
   WHERE o.id > wm AND o.id <= hi
   GROUP BY o.pattern_key
  ON CONFLICT (pattern_key) DO UPDATE
     SET usage_count   = lp.usage_count + excluded.usage_count,
         success_count = lp.success_count + excluded.success_count,
         confidence    = wilson_lower_bound(lp.success_count + excluded.success_count,
                                            lp.usage_count + excluded.usage_count, p_z),
         last_seen     = greatest(lp.last_seen, excluded.last_seen),
         updated_at    = now(),
         change_seq    = excluded.change_seq;
  UPDATE task_state SET value = hi::text, updated_at = now()
   WHERE task_name = 'pattern-learning' AND key = 'watermark';
END;
$$;

-- centralcloud-sync -------------------------------------------------------------------------
-- The hub is a PostgreSQL database holding, in any schema, this table (run it on the hub):
--
--   CREATE TABLE fleet_patterns (
--     instance_id text NOT NULL, pattern_key text NOT NULL,
--     usage_count bigint NOT NULL, success_count bigint NOT NULL,
--     confidence double precision NOT NULL, last_seen timestamptz,
--     updated_at timestamptz NOT NULL, change_seq bigint NOT NULL,
--     pushed_at timestamptz NOT NULL DEFAULT now(),
--     PRIMARY KEY (instance_id, pattern_key));
--
-- configure_hub(...) connects this instance to it through postgres_fdw: it creates the
-- extension (needs the privilege to), a foreign server autopilot_hub_<schema>, a user mapping
-- for the current user and the foreign table hub_fleet_patterns in Autopilot's schema, and
-- records the hub in hub_config. Call it once (psql, or the host's migration); call
-- unconfigure_hub() to stop syncing. p_instance_id defaults to a random id kept across calls.
CREATE PROCEDURE configure_hub(
  p_host text, p_port int, p_dbname text, p_user text, p_password text,
  p_remote_schema text DEFAULT 'public', p_remote_table text DEFAULT 'fleet_patterns',
  p_instance_id text DEFAULT NULL)
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
DECLARE
  sch    text := current_schema();
  server text := 'autopilot_hub_' || current_schema();
  inst   text;
BEGIN
  CREATE EXTENSION IF NOT EXISTS postgres_fdw SCHEMA public;
  SELECT coalesce(p_instance_id, (SELECT instance_id FROM hub_config), gen_random_uuid()::text) INTO inst;
  EXECUTE format('DROP SERVER IF EXISTS %I CASCADE', server);
  EXECUTE format('CREATE SERVER %I FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host %L, port %L, dbname %L)',
                 server, p_host, p_port::text, p_dbname);
  EXECUTE format('CREATE USER MAPPING FOR CURRENT_USER SERVER %I OPTIONS (user %L, password %L)',
                 server, p_user, p_password);
  EXECUTE format('CREATE FOREIGN TABLE %I.hub_fleet_patterns ('
      || 'instance_id text NOT NULL, pattern_key text NOT NULL, usage_count bigint NOT NULL,'
      || ' success_count bigint NOT NULL, confidence double precision NOT NULL, last_seen timestamptz,'
      || ' updated_at timestamptz NOT NULL, change_seq bigint NOT NULL)'
      || ' SERVER %I OPTIONS (schema_name %L, table_name %L)', sch, server, p_remote_schema, p_remote_table);
  INSERT INTO hub_config(id, enabled, instance_id, server_name, foreign_table)
  VALUES (true, true, inst, server, 'hub_fleet_patterns')
  ON CONFLICT (id) DO UPDATE SET enabled = true, instance_id = excluded.instance_id,
      server_name = excluded.server_name, foreign_table = excluded.foreign_table, configured_at = now();
  -- a new hub starts from scratch: push everything on the next run
  DELETE FROM task_state WHERE task_name = 'centralcloud-sync' AND key = 'watermark';
END;
$$;

CREATE PROCEDURE unconfigure_hub()
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
BEGIN
  UPDATE hub_config SET enabled = false;
  EXECUTE format('DROP SERVER IF EXISTS %I CASCADE', 'autopilot_hub_' || current_schema());
END;
$$;

-- Pushes learned patterns whose change_seq is above the watermark to the hub: per batch,
-- delete-then-insert of those keys for this instance (postgres_fdw supports no ON CONFLICT DO
-- UPDATE), an upsert in effect. postgres_fdw commits the remote transaction when the local one
-- commits, and the watermark moves in the same local transaction, so a failed push moves
-- nothing and the next run pushes the same rows again (at-least-once), and a re-push replaces
-- rather than duplicates (idempotent).
CREATE PROCEDURE centralcloud_sync(p_batch int DEFAULT 5000)
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
DECLARE
  cfg  hub_config;
  wm   bigint;
  keys text[];
  top  bigint;
BEGIN
  SELECT * INTO cfg FROM hub_config WHERE enabled;
  IF NOT FOUND THEN
    CALL note_skip('centralcloud-sync', 'no hub configured (call configure_hub)');
    RETURN;
  END IF;
  INSERT INTO task_state(task_name, key, value) VALUES ('centralcloud-sync', 'watermark', '0')
  ON CONFLICT DO NOTHING;
  SELECT value::bigint INTO wm FROM task_state
   WHERE task_name = 'centralcloud-sync' AND key = 'watermark' FOR UPDATE;
  LOOP
    SELECT array_agg(pattern_key), max(change_seq) INTO keys, top
      FROM (SELECT pattern_key, change_seq FROM learned_patterns
             WHERE change_seq > wm ORDER BY change_seq LIMIT p_batch) b;
    EXIT WHEN keys IS NULL;
    EXECUTE format('DELETE FROM %I WHERE instance_id = $1 AND pattern_key = ANY ($2)', cfg.foreign_table)
      USING cfg.instance_id, keys;
    EXECUTE format('INSERT INTO %I (instance_id, pattern_key, usage_count, success_count, confidence,'
        || ' last_seen, updated_at, change_seq) SELECT $1, pattern_key, usage_count, success_count,'
        || ' confidence, last_seen, updated_at, change_seq FROM learned_patterns'
        || ' WHERE pattern_key = ANY ($2)', cfg.foreign_table)
      USING cfg.instance_id, keys;
    wm := top;
  END LOOP;
  UPDATE task_state SET value = wm::text, updated_at = now()
   WHERE task_name = 'centralcloud-sync' AND key = 'watermark';
END;
$$;
