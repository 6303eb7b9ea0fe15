package dev.autopilot.cli;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Plain SQL rows for the commands that read tables directly (cron, backups). */
final class Rows {
  private Rows() {}

  static List<Map<String, Object>> query(Connection c, String sql, String arg) throws SQLException {
    List<Map<String, Object>> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      if (arg != null) {
        ps.setString(1, arg);
      }
      try (ResultSet rs = ps.executeQuery()) {
        ResultSetMetaData md = rs.getMetaData();
        while (rs.next()) {
          Map<String, Object> m = new LinkedHashMap<>();
          for (int i = 1; i <= md.getColumnCount(); i++) {
            Object v = rs.getObject(i);
            if (v instanceof Timestamp t) {
              v = t.toInstant();
            } else if (v != null && !(v instanceof Number) && !(v instanceof Boolean)) {
              v = v.toString();
            }
            m.put(md.getColumnLabel(i), v);
          }
          out.add(m);
        }
      }
    }
    return out;
  }

  static void print(PrintStream out, List<Map<String, Object>> rows, List<String> columns) {
    List<List<String>> cells = new ArrayList<>();
    for (Map<String, Object> r : rows) {
      List<String> line = new ArrayList<>();
      for (String col : columns) {
        Object v = r.get(col);
        String s = v instanceof Instant i ? Console.time(i) : v == null ? null : v.toString();
        if (s != null) {
          s = AutopilotCli.firstLine(s);
          s = s.length() > 60 ? s.substring(0, 57) + "..." : s;
        }
        line.add(s);
      }
      cells.add(line);
    }
    List<String> header = new ArrayList<>();
    columns.forEach(c -> header.add(c.toUpperCase(Locale.ROOT)));
    Console.table(out, header, cells);
    if (rows.isEmpty()) {
      out.println("(none)");
    }
  }
}
