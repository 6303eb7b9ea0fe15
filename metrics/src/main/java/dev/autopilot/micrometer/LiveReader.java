package dev.autopilot.micrometer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;

/** Reads what is due and what runs now from db-scheduler's table, in one grouped query. */
final class LiveReader {

  /** One task's live numbers. */
  record Live(long backlog, double lagSeconds, long running) {
    static final Live NONE = new Live(0, 0, 0);
  }

  /** Last successes at start, one per task and engine. */
  record LastSuccess(String task, String engine, Instant at) {}

  private final DataSource dataSource;
  private final String liveSql;
  private final String lastSuccessSql;
  private final String recordedPacksSql;

  LiveReader(DataSource dataSource, String quotedSchema) {
    this.dataSource = dataSource;
    // due = not picked and execution_time reached: what no instance has started yet (also the due
    // runs of a paused or disabled task, and of a task no running instance knows)
    this.liveSql = "SELECT task_name,"
        + " count(*) FILTER (WHERE NOT picked AND execution_time <= now()),"
        + " coalesce(extract(epoch FROM now() - min(execution_time) FILTER (WHERE NOT picked AND execution_time <= now())), 0),"
        + " count(*) FILTER (WHERE picked)"
        + " FROM " + quotedSchema + ".scheduled_tasks GROUP BY task_name";
    // one index probe per task (job_history_task_finished_idx), not a scan of all history
    this.lastSuccessSql = "SELECT t.name, h.engine, h.finished_at FROM unnest(?::text[]) AS t(name)"
        + " CROSS JOIN LATERAL (SELECT engine, finished_at FROM " + quotedSchema + ".job_history"
        + " WHERE task_name = t.name AND outcome = 'succeeded' ORDER BY finished_at DESC LIMIT 1) h";
    this.recordedPacksSql = "SELECT DISTINCT ON (task_name) task_name, pack FROM " + quotedSchema + ".task_catalog"
        + " ORDER BY task_name, pack";
  }

  /** @return task to pack, from the catalogs running hosts recorded */
  Map<String, String> recordedPacks() throws SQLException {
    Map<String, String> out = new HashMap<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(recordedPacksSql);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getString(2));
      }
    }
    return out;
  }

  Map<String, Live> live() throws SQLException {
    Map<String, Live> out = new HashMap<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(liveSql);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.put(rs.getString(1), new Live(rs.getLong(2), rs.getDouble(3), rs.getLong(4)));
      }
    }
    return out;
  }

  java.util.List<LastSuccess> lastSuccesses(java.util.Collection<String> tasks) throws SQLException {
    java.util.List<LastSuccess> out = new java.util.ArrayList<>();
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(lastSuccessSql)) {
      ps.setArray(1, c.createArrayOf("text", tasks.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new LastSuccess(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant()));
        }
      }
    }
    return out;
  }
}
