package dev.autopilot.sqltasks;

import dev.autopilot.Autopilot;
import dev.autopilot.internal.Pack;
import dev.autopilot.internal.Settings;
import dev.autopilot.internal.sqltasks.SqlTasksPack;
import dev.autopilot.spi.Task;
import dev.autopilot.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** The SQL pack's tasks registered explicitly, so tests do not depend on other built-in packs. */
final class SqlTaskFixtures {
  private SqlTaskFixtures() {}

  static List<Task> tasks(String schema, Map<String, String> props) {
    return new SqlTasksPack().tasks(new Pack.Context(new Settings(Map.of(), props, Map.of()), schema, Map.of()));
  }

  static Autopilot.Builder builder(DataSource ds, String schema, Map<String, String> props) {
    Autopilot.Builder b = Autopilot.builder(ds).schema(schema).environment(Map.of()).discoverProviders(false)
        .builtInTasks(false).pollingInterval(Duration.ofMillis(200)).threads(3)
        .tasks(tasks(schema, props));
    props.forEach(b::property);
    return b;
  }

  static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static List<List<String>> rows(Connection c, String sql) throws SQLException {
    List<List<String>> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(rs.getString(i));
        }
        out.add(row);
      }
    }
    return out;
  }

  static void exec(Connection c, String... sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (String q : sql) {
        s.execute(q);
      }
    }
  }

  static Connection cronDb(TestDatabase db) throws SQLException {
    return db.cluster().orElseThrow().connect("postgres");
  }
}
