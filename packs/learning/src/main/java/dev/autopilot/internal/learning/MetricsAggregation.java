package dev.autopilot.internal.learning;

import dev.autopilot.internal.Jdbc;
import dev.autopilot.spi.JavaTask;
import dev.autopilot.spi.StateStore;
import dev.autopilot.spi.TaskContext;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code metrics-aggregation}: telemetry events and job history into 5-minute {@code
 * metric_rollups} per task ({@code task_name}) and per agent ({@code agent_id} as text): count,
 * failures, p50/p95 ({@code percentile_cont}, interpolated) and max duration.
 *
 * <p>Each run recomputes whole buckets, never increments, so a re-run writes the same rows. The
 * buckets recomputed are those holding rows added since the id watermarks, plus every bucket of
 * the last {@code autopilot.metrics.lookback} (1h), which catches rows whose ids committed out of
 * order. Bad values are kept out of the numbers, not out of the counts: a negative duration or
 * one above {@code autopilot.metrics.max-duration} (7d) counts as an event without a duration;
 * a null success is not a failure; an event more than 5 minutes in the future is ignored (it
 * would create a bucket that later events would silently rewrite). Job history: {@code retrying},
 * {@code failed} and {@code dead} are failures.
 */
final class MetricsAggregation implements JavaTask {

  private static final Logger log = LoggerFactory.getLogger(MetricsAggregation.class);

  private static final String BIN = "date_bin('5 minutes', %s, timestamptz '2000-01-01 00:00:00+00')";

  @Override
  public void run(TaskContext ctx) {
    Jdbc jdbc = new Jdbc(ctx.dataSource());
    String s = Jdbc.quoteIdent(ctx.schema()) + ".";
    StateStore state = ctx.state();
    long wmT = Long.parseLong(state.get("telemetry-id").orElse("0"));
    long wmH = Long.parseLong(state.get("history-id").orElse("0"));
    Instant now = ctx.clock().instant();
    Duration lookback = ctx.config().getDuration("metrics.lookback", Duration.ofHours(1));
    long maxMs = ctx.config().getDuration("metrics.max-duration", Duration.ofDays(7)).toMillis();
    long[] max = jdbc.queryOne("SELECT (SELECT coalesce(max(id), 0) FROM " + s + "telemetry_events),"
        + " (SELECT coalesce(max(id), 0) FROM " + s + "job_history)", Jdbc.NONE,
        rs -> new long[] {rs.getLong(1), rs.getLong(2)}).orElseThrow();
    reportBadValues(jdbc, s, wmT, max[0], now, maxMs, ctx.taskName());
    Timestamp nowTs = Timestamp.from(now);
    Timestamp future = Timestamp.from(now.plus(Duration.ofMinutes(5)));
    String sql = sql(s);
    int written = jdbc.inTransaction(c -> {
      // Two runs at once would compute the same rows; the lock just keeps them from interleaving.
      Jdbc.query(c, "SELECT pg_advisory_xact_lock(hashtext(?))", ps -> ps.setString(1, ctx.schema() + ".metrics-aggregation"),
          rs -> 1);
      // The planner cannot know how few buckets are touched, estimates millions of rows and
      // JIT-compiles the statement: ~650 ms of JIT for ~50 ms of work (measured, 300k events).
      Jdbc.update(c, "SET LOCAL jit = off", Jdbc.NONE);
      return Jdbc.update(c, sql, ps -> {
        int i = 1;
        ps.setLong(i++, wmT);
        ps.setLong(i++, max[0]);
        ps.setTimestamp(i++, future);
        ps.setLong(i++, wmH);
        ps.setLong(i++, max[1]);
        ps.setTimestamp(i++, Timestamp.from(now.minus(lookback)));
        ps.setTimestamp(i++, nowTs);
        ps.setLong(i++, maxMs);
        ps.setTimestamp(i++, future);
        ps.setLong(i++, maxMs);
      });
    });
    state.put("telemetry-id", Long.toString(max[0]));
    state.put("history-id", Long.toString(max[1]));
    log.info("[{}] {} rollup row(s) written; telemetry up to id {}, job history up to id {}", ctx.taskName(), written,
        max[0], max[1]);
  }

  /** The recomputation; parameters as bound in {@link #run}. */
  static String sql(String s) {
    String tBin = String.format(BIN, "occurred_at");
    String hBin = String.format(BIN, "finished_at");
    return "WITH touched AS ("
        + "  SELECT DISTINCT " + tBin + " AS b FROM " + s + "telemetry_events WHERE id > ? AND id <= ? AND occurred_at <= ?"
        + "  UNION SELECT DISTINCT " + hBin + " FROM " + s + "job_history WHERE id > ? AND id <= ?"
        + "  UNION SELECT generate_series(" + String.format(BIN, "?::timestamptz") + ", ?::timestamptz, interval '5 minutes')"
        + "), src AS ("
        // one index range scan per bucket (LATERAL), not a scan of the whole table
        + "  SELECT t.b, e.task_name, e.agent_id, CASE WHEN e.duration_ms BETWEEN 0 AND ? THEN e.duration_ms END AS d,"
        + "    e.success FROM touched t CROSS JOIN LATERAL (SELECT task_name, agent_id, duration_ms, success"
        + "    FROM " + s + "telemetry_events WHERE occurred_at >= t.b AND occurred_at < t.b + interval '5 minutes'"
        + "    AND occurred_at <= ?) e"
        + "  UNION ALL SELECT t.b, h.task_name, NULL::bigint, CASE WHEN h.duration_ms BETWEEN 0 AND ? THEN h.duration_ms END,"
        + "    h.outcome NOT IN ('retrying', 'failed', 'dead') FROM touched t CROSS JOIN LATERAL (SELECT task_name,"
        + "    duration_ms, outcome FROM " + s + "job_history WHERE finished_at >= t.b"
        + "    AND finished_at < t.b + interval '5 minutes') h"
        + "), per AS ("
        + "  SELECT b, 'task' AS scope, task_name AS subject, d, success FROM src WHERE task_name IS NOT NULL AND task_name <> ''"
        + "  UNION ALL SELECT b, 'agent', agent_id::text, d, success FROM src WHERE agent_id IS NOT NULL"
        + "), agg AS ("
        + "  SELECT b, scope, subject, count(*)::int AS cnt, (count(*) FILTER (WHERE success IS FALSE))::int AS failures,"
        + "    percentile_cont(0.5) WITHIN GROUP (ORDER BY d) AS p50, percentile_cont(0.95) WITHIN GROUP (ORDER BY d) AS p95,"
        + "    max(d)::double precision AS mx FROM per GROUP BY b, scope, subject"
        + "), gone AS ("
        + "  DELETE FROM " + s + "metric_rollups r WHERE r.bucket_start IN (SELECT b FROM touched) AND NOT EXISTS"
        + "    (SELECT 1 FROM agg a WHERE a.b = r.bucket_start AND a.scope = r.scope AND a.subject = r.subject)"
        + "  RETURNING 1"
        + ") INSERT INTO " + s + "metric_rollups AS m (bucket_start, scope, subject, count, failures, p50_ms, p95_ms, max_ms)"
        + "  SELECT b, scope, subject, cnt, failures, p50, p95, mx FROM agg"
        + "  ON CONFLICT (bucket_start, scope, subject) DO UPDATE SET count = excluded.count,"
        + "    failures = excluded.failures, p50_ms = excluded.p50_ms, p95_ms = excluded.p95_ms, max_ms = excluded.max_ms"
        + "  WHERE (m.count, m.failures, m.p50_ms, m.p95_ms, m.max_ms) IS DISTINCT FROM"
        + "    (excluded.count, excluded.failures, excluded.p50_ms, excluded.p95_ms, excluded.max_ms)";
  }

  private static void reportBadValues(Jdbc jdbc, String s, long from, long to, Instant now, long maxMs, String task) {
    if (to <= from) {
      return;
    }
    jdbc.queryOne("SELECT count(*) FILTER (WHERE duration_ms < 0 OR duration_ms > ?),"
        + " count(*) FILTER (WHERE occurred_at > ?), count(*) FILTER (WHERE task_name IS NULL AND agent_id IS NULL)"
        + " FROM " + s + "telemetry_events WHERE id > ? AND id <= ?", ps -> {
          ps.setLong(1, maxMs);
          ps.setTimestamp(2, Timestamp.from(now.plus(Duration.ofMinutes(5))));
          ps.setLong(3, from);
          ps.setLong(4, to);
        }, rs -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}).ifPresent(bad -> {
          if (bad[0] + bad[1] + bad[2] > 0) {
            log.warn("[{}] telemetry ids {}..{}: {} absurd duration(s) left out of percentiles, {} event(s) in the"
                + " future ignored, {} event(s) without task or agent", task, from + 1, to, bad[0], bad[1], bad[2]);
          }
        });
  }
}
