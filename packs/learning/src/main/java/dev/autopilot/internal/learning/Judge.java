package dev.autopilot.internal.learning;

import dev.autopilot.internal.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Judges one agent change against the window before it and rolls it back when worse. */
final class Judge {

  private static final Logger log = LoggerFactory.getLogger(Judge.class);

  /** An agent's rollups over one window: events, failures and count-weighted p95 (null: no durations). */
  record WindowStats(long count, long failures, Double p95) {
    double successRate() {
      return count == 0 ? 1.0 : (double) (count - failures) / count;
    }

    String json() {
      return String.format(Locale.ROOT, "{\"count\":%d,\"failures\":%d,\"success_rate\":%.4f,\"p95_ms\":%s}", count, failures,
          successRate(), p95 == null ? "null" : String.format(Locale.ROOT, "%.3f", p95));
    }
  }

  private Judge() {}

  /** @return true when the change was rolled back */
  static boolean judge(Connection c, String s, long versionId, long agentId, Instant now, Duration window, int minCount,
      double tolerance, String prefix) throws SQLException {
    List<Object[]> rows = Jdbc.query(c, "SELECT a.version, v.version, v.created_at, v.evaluated_at, v.rolled_back_at"
        + " FROM " + s + "agents a JOIN " + s + "agent_versions v ON v.agent_id = a.id WHERE v.id = ? FOR UPDATE OF a, v",
        ps -> ps.setLong(1, versionId),
        rs -> new Object[] {rs.getInt(1), rs.getInt(2), rs.getTimestamp(3).toInstant(), rs.getTimestamp(4), rs.getTimestamp(5)});
    if (rows.isEmpty() || rows.get(0)[3] != null || rows.get(0)[4] != null) {
      return false; // agent gone, or judged concurrently
    }
    int current = (Integer) rows.get(0)[0];
    int version = (Integer) rows.get(0)[1];
    Instant at = (Instant) rows.get(0)[2];
    WindowStats before = stats(c, s, agentId, at.minus(window), at);
    WindowStats after = stats(c, s, agentId, at, at.plus(window));
    String verdict;
    boolean rollback = false;
    if (current != version) {
      verdict = "superseded";
    } else if (after.count() < minCount) {
      if (now.isBefore(at.plus(window.multipliedBy(3)))) {
        return false; // wait for data
      }
      verdict = "inconclusive";
    } else if (before.count() < minCount) {
      verdict = "no-baseline";
    } else {
      boolean lessSuccess = after.successRate() < before.successRate() - tolerance;
      boolean slower = before.p95() != null && after.p95() != null && after.p95() > before.p95() * 1.2;
      rollback = lessSuccess || slower;
      verdict = rollback ? (lessSuccess ? "worse-success" : "slower") : "kept";
    }
    String evaluation = "{\"verdict\":\"" + verdict + "\",\"before\":" + before.json() + ",\"after\":" + after.json() + "}";
    Jdbc.update(c, "UPDATE " + s + "agent_versions SET evaluated_at = ?, evaluation = ?::jsonb, rolled_back_at = ? WHERE id = ?",
        ps -> {
          ps.setTimestamp(1, Timestamp.from(now));
          ps.setString(2, evaluation);
          ps.setTimestamp(3, null);
          ps.setLong(4, versionId);
        });
    if (!rollback) {
      log.info("{}agent {} v{}: {}", prefix, agentId, version, verdict);
      return false;
    }
    Object[] prev = Jdbc.query(c, "SELECT concurrency, strategy, config::text FROM " + s + "agent_versions"
        + " WHERE agent_id = ? AND version = ?", ps -> {
          ps.setLong(1, agentId);
          ps.setInt(2, version - 1);
        }, rs -> new Object[] {rs.getInt(1), rs.getString(2), rs.getString(3)}).stream().findFirst().orElse(null);
    if (prev == null) {
      log.warn("{}agent {} v{} is worse ({}) but v{} is not recorded; cannot roll back", prefix, agentId, version, verdict,
          version - 1);
      return false;
    }
    Versions.record(c, s, agentId, version + 1, (Integer) prev[0], (String) prev[1], (String) prev[2],
        "rollback of v" + version + ": " + verdict, null, now);
    Jdbc.update(c, "UPDATE " + s + "agent_versions SET rolled_back_at = ? WHERE id = ?", ps -> {
      ps.setTimestamp(1, Timestamp.from(now));
      ps.setLong(2, versionId);
    });
    log.warn("{}agent {} v{} made it worse ({}; before {}, after {}): rolled back to v{} settings as v{}", prefix, agentId,
        version, verdict, before.json(), after.json(), version - 1, version + 1);
    return true;
  }

  static WindowStats stats(Connection c, String s, long agentId, Instant from, Instant to) throws SQLException {
    return Jdbc.query(c, "SELECT coalesce(sum(count), 0)::bigint, coalesce(sum(failures), 0)::bigint,"
        + " sum(p95_ms * count) / nullif(sum(count) FILTER (WHERE p95_ms IS NOT NULL), 0)"
        + " FROM " + s + "metric_rollups WHERE scope = 'agent' AND subject = ? AND bucket_start >= ? AND bucket_start < ?",
        ps -> {
          ps.setString(1, Long.toString(agentId));
          ps.setTimestamp(2, Timestamp.from(from));
          ps.setTimestamp(3, Timestamp.from(to));
        }, rs -> new WindowStats(rs.getLong(1), rs.getLong(2), (Double) rs.getObject(3))).get(0);
  }
}
