package dev.autopilot.micrometer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Reads job history incrementally by id. Ids come from a sequence, so a row with a smaller id can
 * commit after one with a larger id (two instances writing, the pg_cron importer): an id skipped
 * over is remembered as a gap and looked for again until {@code gapPatience} has passed (ids
 * taken by rolled-back inserts never show up).
 */
final class HistoryReader {

  /** One finished attempt. */
  record Row(long id, String task, String engine, String outcome, long durationMs, Instant finishedAt) {}

  private static final int BATCH = 5_000;

  private final DataSource dataSource;
  private final String table;
  private final long gapPatienceMs;
  private final Map<Long, Long> gaps = new LinkedHashMap<>(); // id -> first missed (ms)
  private long watermark;

  HistoryReader(DataSource dataSource, String quotedSchema, long gapPatienceMs) {
    this.dataSource = dataSource;
    this.table = quotedSchema + ".job_history";
    this.gapPatienceMs = gapPatienceMs;
  }

  /**
   * Starts after the newest row now: what ran before is not counted again. Where job history
   * does not exist yet (bound before the first start migrated the schema), it starts at 0: every
   * row that will appear is new.
   */
  void startAtNewest() throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NULL")) {
        ps.setString(1, table);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (rs.getBoolean(1)) {
            watermark = 0;
            return;
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(id), 0) FROM " + table);
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        watermark = rs.getLong(1);
      }
    }
  }

  /** @return rows committed since the last call, in id order */
  List<Row> next(long nowMs) throws SQLException {
    gaps.values().removeIf(first -> nowMs - first > gapPatienceMs);
    List<Row> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection()) {
      if (!gaps.isEmpty()) {
        try (PreparedStatement ps = c.prepareStatement(select("id = ANY (?)"))) {
          ps.setArray(1, c.createArrayOf("bigint", gaps.keySet().toArray()));
          read(ps, out);
        }
        out.forEach(r -> gaps.remove(r.id()));
      }
      while (true) {
        List<Row> batch = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(select("id > ?") + " ORDER BY id LIMIT " + BATCH)) {
          ps.setLong(1, watermark);
          read(ps, batch);
        }
        for (Row r : batch) {
          for (long missing = watermark + 1; missing < r.id() && gaps.size() < 10_000; missing++) {
            gaps.put(missing, nowMs);
          }
          watermark = r.id();
        }
        out.addAll(batch);
        if (batch.size() < BATCH) {
          return out;
        }
      }
    }
  }

  /** @return ids skipped over and still looked for (for tests and logs) */
  int pendingGaps() {
    return gaps.size();
  }

  private String select(String where) {
    return "SELECT id, task_name, engine, outcome, duration_ms, finished_at FROM " + table + " WHERE " + where;
  }

  private static void read(PreparedStatement ps, List<Row> out) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        Timestamp f = rs.getTimestamp(6);
        out.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
            f == null ? null : f.toInstant()));
      }
    }
  }
}
