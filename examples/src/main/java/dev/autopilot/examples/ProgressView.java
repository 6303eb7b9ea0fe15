package dev.autopilot.examples;

import dev.autopilot.cli.Console;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Draws a progress bar for every task reporting progress ({@code task_progress}) since the view
 * was created. On a terminal the bars are redrawn in place; otherwise a line is printed when a
 * task's progress moved on, at most every two seconds per task, plus its final line.
 */
public final class ProgressView {

  private static final int WIDTH = 30;

  private final DataSource dataSource;
  private final String table;
  private final PrintStream out;
  private final boolean terminal;
  private final Timestamp since;
  private final Map<String, Long> lastPrinted = new HashMap<>();
  private final Map<String, String> lastLine = new HashMap<>();
  private int drawn;

  /**
   * @param dataSource the host's pool
   * @param schema Autopilot's schema
   * @param out where to draw
   * @param terminal true to redraw in place (ANSI), false for plain lines
   */
  public ProgressView(DataSource dataSource, String schema, PrintStream out, boolean terminal) {
    this.dataSource = dataSource;
    this.table = "\"" + schema.replace("\"", "\"\"") + "\".task_progress";
    this.out = out;
    this.terminal = terminal;
    this.since = Timestamp.from(Instant.now().minusSeconds(1));
  }

  /** Reads progress and draws; never throws (a failed read skips one frame). */
  public synchronized void draw() {
    Map<String, String> lines = new LinkedHashMap<>();
    try (Connection c = dataSource.getConnection();
         PreparedStatement ps = c.prepareStatement("SELECT task_name, execution_id, done, total, message FROM "
             + table + " WHERE updated_at >= ? ORDER BY updated_at, task_name")) {
      ps.setTimestamp(1, since);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          lines.put(rs.getString(1) + "/" + rs.getString(2),
              Console.progressLine(rs.getString(1), rs.getLong(3), rs.getLong(4), rs.getString(5), WIDTH));
        }
      }
    } catch (SQLException e) {
      return;
    }
    if (terminal) {
      if (drawn > 0) {
        out.print("\033[" + drawn + "A");
      }
      for (String l : lines.values()) {
        out.print("\033[2K" + l + "\n");
      }
      drawn = lines.size();
      out.flush();
      return;
    }
    long now = System.currentTimeMillis();
    lines.forEach((key, line) -> {
      boolean finished = line.contains("100%");
      if (!line.equals(lastLine.get(key))
          && (finished || now - lastPrinted.getOrDefault(key, 0L) >= 2000)) {
        out.println(line);
        lastLine.put(key, line);
        lastPrinted.put(key, now);
      }
    });
  }

  /** @return the keys (task/execution) seen so far, for tests and summaries */
  public synchronized List<String> seen() {
    return new ArrayList<>(lastLine.keySet());
  }
}
