package dev.autopilot.internal.pgcron;

import dev.autopilot.internal.Jdbc;
import dev.autopilot.internal.Runtime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Copies finished runs of Autopilot's pg_cron jobs from {@code cron.job_run_details} (cron
 * database) into {@code job_history} (application database), engine {@code pg_cron}. Each run
 * lands once: {@code cron_run_id} is unique and inserts are {@code ON CONFLICT DO NOTHING}, so
 * instances importing at the same time, or an import repeated after a crash, write nothing twice.
 * A watermark ({@code task_state 'pg_cron-import'/'watermark'}) keeps each pass short; it stays at
 * the oldest run still in progress so that run is imported once it finishes. A run whose backend
 * (job_pid) left a skip marker ({@code note_skip}, V009) while it ran is recorded as {@code skipped}.
 */
final class RunImporter {
  static final String STATE = "pg_cron-import";
  private static final int PAGE = 5000;
  private static final Duration GIVE_UP_ON_UNFINISHED = Duration.ofDays(1);

  private record Run(long runId, String task, String status, String message, Instant start, Instant end, Integer pid) {}

  private final Runtime rt;
  private final CronConnector cron;
  private final String prefix;
  private final String q;
  private final java.util.Map<String, String> tasksByJob;

  RunImporter(Runtime rt, CronConnector cron, String prefix, java.util.Map<String, String> tasksByJob) {
    this.tasksByJob = tasksByJob;
    this.rt = rt;
    this.cron = cron;
    this.prefix = prefix;
    this.q = Jdbc.quoteIdent(rt.schema());
  }

  /** @return the number of runs newly written to job history */
  int importOnce() throws SQLException {
    long wm = rt.jdbc().queryOne("SELECT value FROM " + q + ".task_state WHERE task_name = ? AND key = 'watermark'",
        ps -> ps.setString(1, STATE), rs -> Long.parseLong(rs.getString(1))).orElse(0L);
    int written = 0;
    while (true) {
      long from = wm;
      List<Run> runs;
      try (Connection c = cron.connect()) {
        runs = Jdbc.query(c, "SELECT d.runid, j.jobname, d.status, d.return_message, d.start_time, d.end_time, d.job_pid"
            + " FROM cron.job_run_details d JOIN cron.job j ON j.jobid = d.jobid"
            + " WHERE left(j.jobname, ?) = ? AND d.runid >= ? ORDER BY d.runid LIMIT " + PAGE, ps -> {
              ps.setInt(1, prefix.length());
              ps.setString(2, prefix);
              ps.setLong(3, from);
            }, rs -> new Run(rs.getLong(1), taskOf(rs.getString(2)), rs.getString(3), rs.getString(4),
                instant(rs.getTimestamp(5)), instant(rs.getTimestamp(6)), (Integer) rs.getObject(7)));
      }
      if (runs.isEmpty()) {
        break;
      }
      Instant giveUp = rt.clock().instant().minus(GIVE_UP_ON_UNFINISHED);
      Long oldestUnfinished = null;
      List<Run> finished = new java.util.ArrayList<>();
      for (Run r : runs) {
        if ("succeeded".equals(r.status()) || "failed".equals(r.status())) {
          finished.add(r);
        } else if (oldestUnfinished == null && (r.start() == null || r.start().isAfter(giveUp))) {
          oldestUnfinished = r.runId();
        }
      }
      written += write(finished);
      long next = runs.get(runs.size() - 1).runId() + 1;
      wm = oldestUnfinished != null ? oldestUnfinished : next;
      saveWatermark(wm);
      if (runs.size() < PAGE || oldestUnfinished != null) {
        break;
      }
    }
    return written;
  }

  private int write(List<Run> runs) {
    if (runs.isEmpty()) {
      return 0;
    }
    boolean[] retrySoon = {false};
    // one transaction: a failed run's history row (attempt 1, retrying) and its retry are written together
    int written = rt.jdbc().inTransaction(c -> {
      int n = 0;
      // runs cancelled through Control.cancel (PgCronEngine#cancelRun): execution id -> who
      java.util.Map<String, String> cancels = new java.util.HashMap<>();
      Jdbc.query(c, "SELECT execution_id, cancel_requested_by FROM " + q + ".running_executions"
          + " WHERE instance = 'pg_cron' AND cancel_requested_at IS NOT NULL", Jdbc.NONE,
          rs -> cancels.put(rs.getString(1), rs.getString(2)));
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + q + ".job_history(task_name, execution_id,"
          + " engine, outcome, attempt, instance, scheduled_at, started_at, finished_at, duration_ms, error_class,"
          + " error_message, cron_run_id)"
          + " SELECT ?, ?, 'pg_cron', CASE WHEN ? THEN ? WHEN s.value IS NOT NULL THEN 'skipped' ELSE 'succeeded' END,"
          + " 1, 'pg_cron', date_trunc('minute', ?::timestamptz), ?, ?, ?, CASE WHEN ? THEN 'pg_cron' END,"
          + " CASE WHEN ? THEN ? ELSE s.value END, ?"
          // the marker of this run: noted by the run's backend (pid) while it ran; start_time can be
          // recorded late under load, hence the slack before it
          + " FROM (SELECT (SELECT m.value FROM " + q + ".task_state m JOIN " + q + ".task_state p"
          + " ON p.task_name = m.task_name AND p.key = 'skipped_pid'"
          + " WHERE m.task_name = ? AND m.key = 'skipped' AND p.value = ?"
          + " AND m.updated_at BETWEEN ?::timestamptz - interval '5 minutes' AND ?) AS value) s"
          + " ON CONFLICT (cron_run_id) WHERE cron_run_id IS NOT NULL DO NOTHING")) {
        List<Run> batched = new java.util.ArrayList<>();
        List<Boolean> retried = new java.util.ArrayList<>();
        for (Run r : runs) {
          boolean failed = "failed".equals(r.status());
          String cancelledBy = failed ? cancels.get("pg_cron-" + r.runId()) : null;
          boolean retry = failed && cancelledBy == null && retries(r.task());
          Instant start = r.start() != null ? r.start() : r.end();
          Instant end = r.end() != null ? r.end() : start;
          if (start == null) {
            continue; // never started and no end: nothing to show
          }
          Timestamp ts = Timestamp.from(start);
          Timestamp te = Timestamp.from(end);
          int i = 1;
          ps.setString(i++, r.task());
          ps.setString(i++, "pg_cron-" + r.runId());
          ps.setBoolean(i++, failed);
          ps.setString(i++, cancelledBy != null ? "cancelled" : retry ? "retrying" : "failed");
          ps.setTimestamp(i++, ts);
          ps.setTimestamp(i++, ts);
          ps.setTimestamp(i++, te);
          ps.setLong(i++, Math.max(0, Duration.between(start, end).toMillis()));
          ps.setBoolean(i++, failed);
          ps.setBoolean(i++, failed);
          ps.setString(i++, cancelledBy != null ? "cancelled by " + cancelledBy
              : failed ? clip(timedOut(r, start, end)) : null);
          ps.setLong(i++, r.runId());
          ps.setString(i++, r.task());
          ps.setString(i++, r.pid() == null ? "" : r.pid().toString());
          ps.setTimestamp(i++, ts);
          ps.setTimestamp(i++, te);
          ps.addBatch();
          batched.add(r);
          retried.add(retry);
        }
        int[] counts = ps.executeBatch();
        for (Run r : batched) {
          if (cancels.containsKey("pg_cron-" + r.runId())) {
            Jdbc.update(c, "DELETE FROM " + q + ".running_executions WHERE instance = 'pg_cron' AND execution_id = ?",
                ps2 -> ps2.setString(1, "pg_cron-" + r.runId()));
          }
        }
        for (int k = 0; k < counts.length; k++) {
          n += Math.max(0, counts[k]);
          if (counts[k] > 0 && retried.get(k)) {
            // only the instance whose import wrote the row schedules the retry
            Run r = batched.get(k);
            dev.autopilot.spi.RetryPolicy policy = rt.catalog().get(r.task()).task().retryPolicy();
            Instant end = r.end() != null ? r.end() : rt.clock().instant();
            Instant at = end.plus(policy.delayAfter(1, java.util.concurrent.ThreadLocalRandom.current().nextDouble()));
            Instant now = rt.clock().instant();
            if (rt.scheduleCronRetry(c, r.task(), r.runId(), at.isBefore(now) ? now : at)) {
              retrySoon[0] |= !at.isAfter(now.plusSeconds(1));
            }
          }
        }
      }
      return n;
    });
    if (retrySoon[0]) {
      rt.notifyDue(); // a retry due now: wake the instances instead of waiting for their next poll
    }
    return written;
  }

  private void saveWatermark(long wm) {
    rt.jdbc().update("INSERT INTO " + q + ".task_state(task_name, key, value, updated_at) VALUES (?, 'watermark', ?, now())"
        + " ON CONFLICT (task_name, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at", ps -> {
          ps.setString(1, STATE);
          ps.setString(2, Long.toString(wm));
        });
  }

  /**
   * Deletes this instance's jobs' run details older than {@code retention} in the cron database
   * (pg_cron never prunes them; cleanup-job-history can only do it when pg_cron lives in the
   * application's database).
   */
  int prune(Duration retention) throws SQLException {
    try (Connection c = cron.connect()) {
      c.setAutoCommit(true);
      return Jdbc.update(c, "DELETE FROM cron.job_run_details d USING cron.job j WHERE j.jobid = d.jobid"
          + " AND left(j.jobname, ?) = ? AND d.end_time < now() - make_interval(secs => ?)", ps -> {
            ps.setInt(1, prefix.length());
            ps.setString(2, prefix);
            ps.setDouble(3, retention.toSeconds());
          });
    }
  }

  /**
   * A run cancelled for its task's timeout (statement_timeout, or the engine's check in
   * background-worker mode) says so, like a db-scheduler run.
   */
  private String timedOut(Run r, Instant start, Instant end) {
    java.time.Duration timeout = rt.catalog().find(r.task()).flatMap(e -> e.task().timeout()).orElse(null);
    String m = r.message() == null ? "" : r.message();
    // Autopilot cancels no pg_cron run for any other reason; start_time may be recorded late, so no duration check
    if (timeout != null && m.contains("canceling statement")) {
      return "timed out after " + Runtime.human(timeout) + " (" + m.trim() + ")";
    }
    return r.message();
  }

  /**
   * Whether a failed pg_cron run of this task is retried on db-scheduler (its retry policy allows a
   * second attempt). Also in the last import at close: the retry is a row in db-scheduler's table,
   * run by any instance with the task, or by this one's next start.
   */
  private boolean retries(String task) {
    return rt.catalog().find(task).map(e -> e.task().kind() == dev.autopilot.spi.Task.Kind.SQL
        && e.task().retryPolicy().shouldRetry(1)).orElse(false);
  }

  /** Job name to task name; a job of a task no longer in the catalog keeps its name's tail. */
  private String taskOf(String jobName) {
    return tasksByJob.getOrDefault(jobName, jobName.substring(prefix.length()));
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }

  private static String clip(String s) {
    return s == null || s.length() <= 4000 ? s : s.substring(0, 3999) + "…";
  }
}
