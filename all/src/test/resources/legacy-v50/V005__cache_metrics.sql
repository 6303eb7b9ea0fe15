-- cache-cleanup-expired, metrics-refresh, cache-refresh-hot-packages, cache-prewarm-hot-packages.

-- cache-cleanup-expired ---------------------------------------------------------------------
-- Deletes expired cache rows in batches of p_batch, committing after each batch, so no lock is
-- held longer than one batch (the index package_cache_expires_at_idx of V002 finds them). A
-- procedure that COMMITs may not have a SET clause, so search_path cannot be pinned: the body is
-- generated here with the schema's name quoted into every table reference, and the procedure
-- works from any search_path (pg_cron's default one included). It must be CALLed outside an
-- explicit transaction block (pg_cron and Autopilot's db-scheduler runner both do so).
-- The cutoff is taken once at the start: rows expiring while it runs are left for the next run.
-- The last run's figures (rows, batches, longest batch in ms) land in task_state
-- ('cache-cleanup-expired', 'last_run').
DO $do$
BEGIN
  EXECUTE format($f$
CREATE PROCEDURE %1$I.cache_cleanup_expired(p_batch int DEFAULT 5000, p_max_batches int DEFAULT 1000000)
LANGUAGE plpgsql
AS $$
DECLARE
  v_cutoff timestamptz := clock_timestamp();
  v_started timestamptz := clock_timestamp();
  n       bigint;
  total   bigint := 0;
  batches int := 0;
  t0      timestamptz;
  max_ms  double precision := 0;
BEGIN
  IF p_batch < 1 THEN
    RAISE EXCEPTION 'cache_cleanup_expired: p_batch must be at least 1, got %%', p_batch;
  END IF;
  COMMIT; -- start the first batch in a fresh transaction (the CALL's snapshot is not needed)
  LOOP
    t0 := clock_timestamp();
    -- by ctid (a TID scan): a join on cache_key made the planner scan the whole table per batch
    DELETE FROM %1$I.package_cache
     WHERE ctid = ANY (ARRAY(SELECT ctid FROM %1$I.package_cache
                              WHERE expires_at <= v_cutoff
                              ORDER BY expires_at
                              LIMIT p_batch
                              FOR UPDATE SKIP LOCKED));
    GET DIAGNOSTICS n = ROW_COUNT;
    COMMIT;
    max_ms := greatest(max_ms, extract(epoch FROM clock_timestamp() - t0) * 1000);
    total := total + n;
    batches := batches + 1;
    EXIT WHEN n < p_batch OR batches >= p_max_batches;
  END LOOP;
  INSERT INTO %1$I.task_state(task_name, key, value, updated_at)
  VALUES ('cache-cleanup-expired', 'last_run',
          jsonb_build_object('deleted', total, 'batches', batches, 'batch_size', p_batch,
                             'max_batch_ms', round(max_ms::numeric, 3),
                             'total_ms', round((extract(epoch FROM clock_timestamp() - v_started) * 1000)::numeric, 3))::text,
          now())
  ON CONFLICT (task_name, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at;
  COMMIT;
END;
$$ $f$, current_schema());
END
$do$;

-- metrics-refresh ---------------------------------------------------------------------------
-- Task and agent performance over the last 24 h and 7 d, from metric_rollups (5-minute buckets
-- written by metrics-aggregation). p50 is the run-weighted mean of bucket medians, p95 and max
-- the worst bucket's. The unique indexes let REFRESH ... CONCURRENTLY swap rows in without
-- blocking readers.
CREATE MATERIALIZED VIEW task_performance AS
SELECT w.period, r.subject AS task_name,
       sum(r.count)::bigint AS runs,
       sum(r.failures)::bigint AS failures,
       CASE WHEN sum(r.count) > 0 THEN sum(r.failures)::double precision / sum(r.count) ELSE 0 END AS failure_rate,
       sum(r.p50_ms * r.count) / nullif(sum(r.count) FILTER (WHERE r.p50_ms IS NOT NULL), 0) AS p50_ms,
       max(r.p95_ms) AS p95_ms,
       max(r.max_ms) AS max_ms,
       max(r.bucket_start) AS last_bucket,
       now() AS refreshed_at
  FROM metric_rollups r
  JOIN (VALUES ('24h', interval '24 hours'), ('7d', interval '7 days')) AS w(period, span)
    ON r.bucket_start >= now() - w.span
 WHERE r.scope = 'task'
 GROUP BY w.period, r.subject;
CREATE UNIQUE INDEX task_performance_key ON task_performance (period, task_name);

CREATE MATERIALIZED VIEW agent_performance AS
SELECT w.period, r.subject AS agent,
       sum(r.count)::bigint AS runs,
       sum(r.failures)::bigint AS failures,
       CASE WHEN sum(r.count) > 0 THEN 1 - sum(r.failures)::double precision / sum(r.count) ELSE 0 END AS success_rate,
       sum(r.p50_ms * r.count) / nullif(sum(r.count) FILTER (WHERE r.p50_ms IS NOT NULL), 0) AS p50_ms,
       max(r.p95_ms) AS p95_ms,
       max(r.max_ms) AS max_ms,
       max(r.bucket_start) AS last_bucket,
       now() AS refreshed_at
  FROM metric_rollups r
  JOIN (VALUES ('24h', interval '24 hours'), ('7d', interval '7 days')) AS w(period, span)
    ON r.bucket_start >= now() - w.span
 WHERE r.scope = 'agent'
 GROUP BY w.period, r.subject;
CREATE UNIQUE INDEX agent_performance_key ON agent_performance (period, agent);

CREATE PROCEDURE metrics_refresh()
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
BEGIN
  REFRESH MATERIALIZED VIEW CONCURRENTLY task_performance;
  REFRESH MATERIALIZED VIEW CONCURRENTLY agent_performance;
END;
$$;

-- cache-refresh-hot-packages ----------------------------------------------------------------
-- The 500 most used packages (by manifests declaring them), with the newest registry version.
CREATE MATERIALIZED VIEW hot_packages AS
SELECT u.ecosystem, u.name, coalesce(r.version, '') AS version, u.usage_count, u.codebases,
       rank() OVER (ORDER BY u.usage_count DESC) AS rank
  FROM (SELECT ecosystem, name, count(*) AS usage_count, count(DISTINCT codebase) AS codebases
          FROM package_usage
         GROUP BY ecosystem, name
         ORDER BY count(*) DESC, ecosystem, name
         LIMIT 500) u
  LEFT JOIN LATERAL (SELECT pr.version FROM package_registry pr
                      WHERE pr.ecosystem = u.ecosystem AND pr.name = u.name
                      ORDER BY pr.last_seen DESC, pr.version DESC LIMIT 1) r ON true;
CREATE UNIQUE INDEX hot_packages_key ON hot_packages (ecosystem, name);

CREATE PROCEDURE cache_refresh_hot_packages()
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
BEGIN
  REFRESH MATERIALIZED VIEW CONCURRENTLY hot_packages;
END;
$$;

-- cache-prewarm-hot-packages ----------------------------------------------------------------
-- Every hot package gets a cache row keyed ecosystem:name:version that expires in p_ttl;
-- existing rows are left alone (ON CONFLICT DO NOTHING), so a second run changes nothing.
CREATE PROCEDURE cache_prewarm_hot_packages(p_ttl interval DEFAULT '24 hours')
LANGUAGE sql
SET search_path FROM CURRENT
AS $$
  INSERT INTO package_cache(cache_key, ecosystem, name, version, payload, expires_at)
  SELECT h.ecosystem || ':' || h.name || ':' || h.version, h.ecosystem, h.name, h.version,
         jsonb_build_object('prewarmed', true, 'usage_count', h.usage_count, 'rank', h.rank),
         now() + p_ttl
    FROM hot_packages h
  ON CONFLICT (cache_key) DO NOTHING;
$$;
