package dev.autopilot.internal.learning;

import dev.autopilot.internal.Jdbc;
import dev.autopilot.spi.JavaTask;
import dev.autopilot.spi.TaskConfig;
import dev.autopilot.spi.TaskContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code feedback-analysis}: reads {@code metric_rollups} and raises {@code feedback} rows:
 *
 * <ul>
 *   <li>{@code failure-rate} (scope task): failures / count over the last {@code
 *       autopilot.feedback.window} (1h) above {@code autopilot.feedback.max-failure-rate} (0.2);
 *   <li>{@code agent-success} (scope agent): (count - failures) / count over the window below
 *       {@code autopilot.feedback.min-agent-success} (0.7);
 *   <li>{@code p95-slowdown} (task and agent): p95 of the last 7 days above 1 + {@code
 *       autopilot.feedback.max-slowdown} (0.5) times the 7 days before. Percentiles cannot be
 *       merged exactly, so a week's p95 is the count-weighted mean of its 5-minute p95s.
 * </ul>
 *
 * A subject needs {@code autopilot.feedback.min-count} (5) events in each compared period; with
 * fewer nothing is concluded either way. One feedback row per (kind, scope, subject) while it is
 * not resolved (the {@code feedback_open_idx} unique index, {@code ON CONFLICT DO NOTHING});
 * when a subject with enough data no longer breaks the rule, its feedback is resolved, so a
 * later recurrence raises a new row.
 */
final class FeedbackAnalysis implements JavaTask {

  private static final Logger log = LoggerFactory.getLogger(FeedbackAnalysis.class);

  @Override
  public void run(TaskContext ctx) {
    TaskConfig cfg = ctx.config();
    Duration window = cfg.getDuration("feedback.window", Duration.ofHours(1));
    int minCount = cfg.getInt("feedback.min-count", 5);
    double maxFailureRate = dbl(cfg, "feedback.max-failure-rate", 0.2);
    double minSuccess = dbl(cfg, "feedback.min-agent-success", 0.7);
    double maxSlowdown = dbl(cfg, "feedback.max-slowdown", 0.5);
    Instant now = ctx.clock().instant();
    String s = Jdbc.quoteIdent(ctx.schema()) + ".";
    Timestamp to = Timestamp.from(now);
    Timestamp from = Timestamp.from(now.minus(window));
    Timestamp weekAgo = Timestamp.from(now.minus(Duration.ofDays(7)));
    Timestamp twoWeeksAgo = Timestamp.from(now.minus(Duration.ofDays(14)));

    int[] counts = new Jdbc(ctx.dataSource()).inTransaction(c -> {
      int raised = 0;
      int resolved = 0;
      // failure-rate (tasks) and agent-success (agents) over the window
      String rate = "SELECT subject, sum(count)::bigint, sum(failures)::bigint FROM " + s + "metric_rollups"
          + " WHERE scope = ? AND bucket_start >= ? AND bucket_start < ? GROUP BY subject HAVING sum(count) >= ?";
      for (String scope : List.of("task", "agent")) {
        List<Object[]> rows = Jdbc.query(c, rate, ps -> {
          ps.setString(1, scope);
          ps.setTimestamp(2, from);
          ps.setTimestamp(3, to);
          ps.setInt(4, minCount);
        }, rs -> new Object[] {rs.getString(1), rs.getLong(2), rs.getLong(3)});
        for (Object[] r : rows) {
          long n = (Long) r[1];
          long f = (Long) r[2];
          String subject = (String) r[0];
          String kind = scope.equals("task") ? "failure-rate" : "agent-success";
          double value = scope.equals("task") ? (double) f / n : (double) (n - f) / n;
          boolean bad = scope.equals("task") ? value > maxFailureRate : value < minSuccess;
          String detail = String.format(Locale.ROOT,
              "{\"window\":\"%s\",\"count\":%d,\"failures\":%d,\"%s\":%.4f,\"threshold\":%.4f,\"measured_at\":\"%s\"}",
              window, n, f, scope.equals("task") ? "failure_rate" : "success_rate", value,
              scope.equals("task") ? maxFailureRate : minSuccess, now);
          if (bad) {
            raised += raise(c, s, kind, scope, subject, detail, now);
          } else {
            resolved += resolve(c, s, kind, scope, subject, now);
          }
        }
      }
      // p95 slowdown week over week
      String weekly = "SELECT subject,"
          + " sum(p95_ms * count) FILTER (WHERE bucket_start >= ?) / nullif(sum(count) FILTER (WHERE bucket_start >= ? AND p95_ms IS NOT NULL), 0),"
          + " sum(count) FILTER (WHERE bucket_start >= ? AND p95_ms IS NOT NULL),"
          + " sum(p95_ms * count) FILTER (WHERE bucket_start < ?) / nullif(sum(count) FILTER (WHERE bucket_start < ? AND p95_ms IS NOT NULL), 0),"
          + " sum(count) FILTER (WHERE bucket_start < ? AND p95_ms IS NOT NULL)"
          + " FROM " + s + "metric_rollups WHERE scope = ? AND bucket_start >= ? AND bucket_start < ? GROUP BY subject";
      for (String scope : List.of("task", "agent")) {
        List<Object[]> rows = Jdbc.query(c, weekly, ps -> {
          for (int i = 1; i <= 6; i++) {
            ps.setTimestamp(i, weekAgo);
          }
          ps.setString(7, scope);
          ps.setTimestamp(8, twoWeeksAgo);
          ps.setTimestamp(9, to);
        }, rs -> new Object[] {rs.getString(1), rs.getObject(2), rs.getLong(3), rs.getObject(4), rs.getLong(5)});
        for (Object[] r : rows) {
          if (r[1] == null || r[3] == null || (Long) r[2] < minCount || (Long) r[4] < minCount) {
            continue;
          }
          double thisWeek = ((Number) r[1]).doubleValue();
          double lastWeek = ((Number) r[3]).doubleValue();
          boolean bad = lastWeek > 0 && thisWeek > lastWeek * (1 + maxSlowdown);
          String detail = String.format(Locale.ROOT,
              "{\"p95_ms_this_week\":%.3f,\"p95_ms_last_week\":%.3f,\"count_this_week\":%d,\"count_last_week\":%d,"
                  + "\"threshold\":%.4f,\"measured_at\":\"%s\"}", thisWeek, lastWeek, r[2], r[4], maxSlowdown, now);
          if (bad) {
            raised += raise(c, s, "p95-slowdown", scope, (String) r[0], detail, now);
          } else {
            resolved += resolve(c, s, "p95-slowdown", scope, (String) r[0], now);
          }
        }
      }
      return new int[] {raised, resolved};
    });
    log.info("[{}] {} feedback item(s) raised, {} resolved", ctx.taskName(), counts[0], counts[1]);
  }

  private static int raise(Connection c, String s, String kind, String scope, String subject, String detail, Instant now)
      throws SQLException {
    return Jdbc.update(c, "INSERT INTO " + s + "feedback (kind, scope, subject, detail, created_at)"
        + " VALUES (?, ?, ?, ?::jsonb, ?) ON CONFLICT (kind, scope, subject) WHERE status <> 'resolved' DO NOTHING", ps -> {
          ps.setString(1, kind);
          ps.setString(2, scope);
          ps.setString(3, subject);
          ps.setString(4, detail);
          ps.setTimestamp(5, Timestamp.from(now));
        });
  }

  private static int resolve(Connection c, String s, String kind, String scope, String subject, Instant now)
      throws SQLException {
    return Jdbc.update(c, "UPDATE " + s + "feedback SET status = 'resolved', resolved_at = ?"
        + " WHERE kind = ? AND scope = ? AND subject = ? AND status <> 'resolved'", ps -> {
          ps.setTimestamp(1, Timestamp.from(now));
          ps.setString(2, kind);
          ps.setString(3, scope);
          ps.setString(4, subject);
        });
  }

  private static double dbl(TaskConfig cfg, String key, double def) {
    String v = cfg.get(key, Double.toString(def)).trim();
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("setting 'autopilot." + key + "': '" + v + "' is not a number", e);
    }
  }
}
