-- Part of the single layout's V005__cache_metrics.sql (schema version 50) that belongs to the learning module.
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
