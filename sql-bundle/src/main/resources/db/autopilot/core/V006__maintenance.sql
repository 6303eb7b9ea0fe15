-- Part of the single layout's V006__maintenance.sql (schema version 50) that belongs to the core module.
-- table-statistics, cleanup-job-history, cleanup-artifacts, cleanup-code-chunks,
-- reindex-bloated-indexes (the candidate query; the REINDEX runs outside a function),
-- vector-stats-refresh.

-- table-statistics --------------------------------------------------------------------------
-- Snapshots pg_stat_user_tables for Autopilot's schema into table_stats_history and ANALYZEs
-- every table whose modifications since its last analyze exceed p_ratio of its live rows (and
-- at least p_min_changes, so tiny tables do not get analyzed on every run).
CREATE PROCEDURE table_statistics(p_ratio double precision DEFAULT 0.1, p_min_changes bigint DEFAULT 50)
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
DECLARE
  r     record;
  stale boolean;
BEGIN
  FOR r IN
    SELECT s.relid, s.relname, s.n_live_tup, s.n_dead_tup, pg_total_relation_size(s.relid) AS total_bytes,
           s.seq_scan, s.idx_scan, s.n_mod_since_analyze,
           greatest(s.last_analyze, s.last_autoanalyze) AS last_analyze
      FROM pg_stat_user_tables s
     WHERE s.schemaname = current_schema()
     ORDER BY s.relname
  LOOP
    stale := r.n_mod_since_analyze >= p_min_changes AND r.n_mod_since_analyze > p_ratio * r.n_live_tup;
    IF stale THEN
      EXECUTE format('ANALYZE %I.%I', current_schema(), r.relname);
    END IF;
    INSERT INTO table_stats_history(table_name, live_tuples, dead_tuples, total_bytes, seq_scan, idx_scan,
                                    n_mod_since_analyze, last_analyze, analyzed_now)
    VALUES (r.relname, r.n_live_tup, r.n_dead_tup, r.total_bytes, r.seq_scan, r.idx_scan,
            r.n_mod_since_analyze, r.last_analyze, stale);
  END LOOP;
END;
$$;

-- cleanup-job-history -----------------------------------------------------------------------
-- Succeeded and skipped runs are kept p_succeeded, failed/dead/retrying ones p_failed.
-- pg_cron never prunes cron.job_run_details: where it is reachable from this database (pg_cron
-- lives here and the caller may delete there) rows older than p_cron_details go too. When
-- pg_cron lives in another database, Autopilot's pg_cron engine prunes its own jobs' rows there.
CREATE PROCEDURE cleanup_job_history(
  p_succeeded    interval DEFAULT '14 days',
  p_failed       interval DEFAULT '90 days',
  p_cron_details interval DEFAULT '14 days')
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
BEGIN
  DELETE FROM job_history WHERE outcome IN ('succeeded', 'skipped') AND finished_at < now() - p_succeeded;
  DELETE FROM job_history WHERE outcome IN ('failed', 'dead', 'retrying') AND finished_at < now() - p_failed;
  -- step by step: to_regclass raises an error (not NULL) without USAGE on the schema
  IF EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'cron') THEN
    IF has_schema_privilege('cron', 'USAGE') THEN
      IF to_regclass('cron.job_run_details') IS NOT NULL THEN
        IF has_table_privilege('cron.job_run_details', 'DELETE') THEN
          EXECUTE 'DELETE FROM cron.job_run_details WHERE end_time < now() - $1' USING p_cron_details;
        END IF;
      END IF;
    END IF;
  END IF;
END;
$$;

-- reindex-bloated-indexes -------------------------------------------------------------------
-- REINDEX ... CONCURRENTLY cannot run inside a function, a procedure or a transaction block,
-- and a pg_cron command is one fixed statement. So this task is a Java task (Autopilot's
-- SqlTasksPack): it asks this function for the candidates and runs one
-- REINDEX INDEX CONCURRENTLY per index over an autocommit JDBC connection; writes go on.
-- By hand: SELECT format('REINDEX INDEX CONCURRENTLY %s;', index_name) FROM bloated_indexes() \gexec
--
-- Bloat estimate for B-tree indexes from statistics (no extension needed): the expected size is
-- what reltuples index tuples (8-byte header + MAXALIGNed average key width from pg_stats + 4-byte
-- line pointer) need in leaf pages filled to the index fillfactor (default 90%), plus 1% inner
-- pages and the meta page. Indexes on expressions (no pg_stats width) are not estimated.
CREATE FUNCTION bloated_indexes(p_min_ratio double precision DEFAULT 0.3, p_min_bytes bigint DEFAULT 10485760)
RETURNS TABLE (index_name text, table_name text, index_bytes bigint, estimated_bytes bigint, bloat_ratio double precision)
LANGUAGE sql STABLE
SET search_path FROM CURRENT
AS $$
  WITH idx AS (
    SELECT i.indexrelid, i.indrelid, ic.relname AS iname, tc.relname AS tname, ic.reltuples,
           pg_relation_size(i.indexrelid) AS bytes,
           coalesce((SELECT option_value::int FROM pg_options_to_table(ic.reloptions) WHERE option_name = 'fillfactor'), 90) AS ff,
           i.indkey
      FROM pg_index i
      JOIN pg_class ic ON ic.oid = i.indexrelid
      JOIN pg_class tc ON tc.oid = i.indrelid
      JOIN pg_namespace n ON n.oid = ic.relnamespace
      JOIN pg_am am ON am.oid = ic.relam
     WHERE n.nspname = current_schema() AND am.amname = 'btree' AND i.indisvalid
       AND ic.reltuples >= 0 AND 0 <> ALL (i.indkey::int2[])),
  width AS (
    SELECT x.indexrelid, sum(s.avg_width) AS w, count(s.avg_width) AS known, count(*) AS cols
      FROM idx x
      CROSS JOIN LATERAL unnest(x.indkey::int2[]) AS k(attnum)
      JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
      LEFT JOIN pg_stats s ON s.schemaname = current_schema() AND s.tablename = x.tname AND s.attname = a.attname
     GROUP BY x.indexrelid),
  est AS (
    SELECT x.iname, x.tname, x.bytes,
           ((ceil(x.reltuples * (8 + (ceil(w.w / 8.0) * 8) + 4) / ((8192 - 24 - 16) * x.ff / 100.0)) * 1.01 + 1)
             * current_setting('block_size')::int)::bigint AS expected
      FROM idx x JOIN width w USING (indexrelid)
     WHERE w.known = w.cols)
  SELECT format('%I.%I', current_schema(), iname), tname, bytes, expected,
         greatest(0, 1 - expected::double precision / nullif(bytes, 0))
    FROM est
   WHERE bytes >= p_min_bytes AND 1 - expected::double precision / nullif(bytes, 0) > p_min_ratio
   ORDER BY bytes DESC;
$$;
