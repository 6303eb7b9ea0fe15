package dev.autopilot.sqltasks;

import dev.autopilot.Autopilot;
import dev.autopilot.internal.Pack;
import dev.autopilot.internal.Settings;
import dev.autopilot.internal.Packs;
import java.util.ArrayList;
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

  /** The pure-SQL tasks of core and every pack (and reindex-bloated-indexes, the maintenance pack's Java task). */
  static List<Task> tasks(String schema, Map<String, String> props) {
    List<Task> out = new ArrayList<>();
    Pack.Context pc = new Pack.Context(new Settings(Map.of(), props, Map.of()), schema, null, Map.of());
    for (Pack p : Packs.discover(SqlTaskFixtures.class.getClassLoader(), "")) {
      p.tasks(pc).stream().filter(t -> t.kind() == Task.Kind.SQL || t.name().equals("reindex-bloated-indexes"))
          .forEach(out::add);
    }
    return out;
  }

  /**
   * The SQL tasks of every pack, registered explicitly. {@code autopilot.pack.sql.enabled=false}
   * (the SQL tasks were one pack, "sql", before the packs were split) disables each of them that
   * the properties do not enable by name.
   */
  static Autopilot.Builder builder(DataSource ds, String schema, Map<String, String> props) {
    List<Task> tasks = tasks(schema, props);
    Autopilot.Builder b = Autopilot.builder(ds).schema(schema).environment(Map.of()).discoverProviders(false)
        .builtInTasks(false).pollingInterval(Duration.ofMillis(200)).threads(3)
        .tasks(tasks);
    props.forEach((k, v) -> {
      if (!k.equals("autopilot.pack.sql.enabled")) {
        b.property(k, v);
      }
    });
    if ("false".equals(props.get("autopilot.pack.sql.enabled"))) {
      for (Task t : tasks) {
        String key = "autopilot.task." + t.name() + ".enabled";
        if (!props.containsKey(key)) {
          b.property(key, "false");
        }
      }
    }
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
