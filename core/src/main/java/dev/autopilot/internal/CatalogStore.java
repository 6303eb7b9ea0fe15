package dev.autopilot.internal;

import dev.autopilot.InstanceStatus;
import dev.autopilot.spi.Task;
import dev.autopilot.spi.Trigger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The catalog that running hosts record ({@code autopilot_instances}, {@code task_catalog}, core
 * V101): written by {@link CatalogRecorder} at start, read by attached clients.
 */
public final class CatalogStore {

  /** An instance counts as live while its heartbeat is younger than this. */
  public static final Duration LIVE = Duration.ofSeconds(60);

  private final Jdbc jdbc;
  private final String q;

  public CatalogStore(Jdbc jdbc, String schema) {
    this.jdbc = jdbc;
    this.q = Jdbc.quoteIdent(schema);
  }

  /** Records this instance and its tasks, replacing what it recorded before. */
  public void record(String instance, List<String> packs, int schemaVersion, Runtime rt) {
    jdbc.inTransaction(c -> {
      Jdbc.update(c, "DELETE FROM " + q + ".autopilot_instances WHERE (stopped_at IS NOT NULL OR heartbeat_at"
          + " < now() - interval '1 day') AND coalesce(stopped_at, heartbeat_at) < now() - interval '7 days'",
          Jdbc.NONE);
      Jdbc.update(c, "INSERT INTO " + q + ".autopilot_instances (instance, packs, schema_version) VALUES (?, ?, ?)"
          + " ON CONFLICT (instance) DO UPDATE SET started_at = now(), heartbeat_at = now(), stopped_at = NULL,"
          + " packs = excluded.packs, schema_version = excluded.schema_version", ps -> {
            ps.setString(1, instance);
            ps.setArray(2, ps.getConnection().createArrayOf("text", packs.toArray(new String[0])));
            ps.setInt(3, schemaVersion);
          });
      Jdbc.update(c, "DELETE FROM " + q + ".task_catalog WHERE instance = ?", ps -> ps.setString(1, instance));
      insertTasks(c, instance, rt);
      return null;
    });
  }

  private void insertTasks(Connection c, String instance, Runtime rt) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + q + ".task_catalog (instance, task_name, pack,"
        + " kind, engine, engine_reason, schedule, startup_priority, enabled, description)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (TaskCatalog.Entry e : rt.catalog().entries()) {
        Task t = e.task();
        EngineChoice engine = rt.engineOf(e);
        ps.setString(1, instance);
        ps.setString(2, t.name());
        ps.setString(3, t.pack());
        ps.setString(4, t.kind() == Task.Kind.SQL ? "sql" : "java");
        ps.setString(5, engine.engine().label());
        ps.setString(6, engine.reason());
        ps.setString(7, e.cron() == null ? null : e.cron().toString());
        ps.setObject(8, t.trigger().startupPriority().isPresent() ? t.trigger().startupPriority().getAsInt() : null);
        ps.setBoolean(9, e.enabled());
        ps.setString(10, t.description());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Marks the instance alive now. */
  public void heartbeat(String instance) {
    jdbc.update("UPDATE " + q + ".autopilot_instances SET heartbeat_at = now() WHERE instance = ?",
        ps -> ps.setString(1, instance));
  }

  /** Marks the instance stopped; its rows stay for the tools until pruned. */
  public void stopped(String instance) {
    jdbc.update("UPDATE " + q + ".autopilot_instances SET stopped_at = now() WHERE instance = ?",
        ps -> ps.setString(1, instance));
  }

  /** @return every recorded instance, live ones first, newest first */
  public List<InstanceStatus> instances() {
    String live = "(stopped_at IS NULL AND heartbeat_at > now() - interval '" + LIVE.toSeconds() + " seconds')";
    return jdbc.query("SELECT i.instance, i.started_at, i.heartbeat_at, i.stopped_at, " + live + ", i.packs,"
        + " i.schema_version, (SELECT count(*) FROM " + q + ".task_catalog c WHERE c.instance = i.instance)"
        + " FROM " + q + ".autopilot_instances i ORDER BY 5 DESC, i.started_at DESC", Jdbc.NONE,
        rs -> new InstanceStatus(rs.getString(1), MonitorImpl.instant(rs, 2), MonitorImpl.instant(rs, 3),
            MonitorImpl.instant(rs, 4), rs.getBoolean(5), List.of((String[]) rs.getArray(6).getArray()),
            (Integer) rs.getObject(7), rs.getInt(8)));
  }

  /**
   * The task set that attached clients see: the tasks of the live instances (or, when none is
   * live, of every recorded instance), each once. Java tasks get a body that refuses to run here:
   * an attached client never runs a task.
   *
   * @return the recorded catalog; empty when no host recorded one yet
   */
  public Recorded recorded() {
    String live = "i.stopped_at IS NULL AND i.heartbeat_at > now() - interval '" + LIVE.toSeconds() + " seconds'";
    boolean anyLive = jdbc.queryOne("SELECT EXISTS (SELECT 1 FROM " + q + ".autopilot_instances i WHERE " + live + ")",
        Jdbc.NONE, rs -> rs.getBoolean(1)).orElse(false);
    Map<String, String> enabled = new LinkedHashMap<>();
    List<TaskCatalog.Contribution> tasks = new ArrayList<>();
    jdbc.query("SELECT DISTINCT ON (c.task_name) c.task_name, c.pack, c.kind, c.schedule, c.startup_priority,"
        + " c.enabled, c.description FROM " + q + ".task_catalog c JOIN " + q + ".autopilot_instances i"
        + " ON i.instance = c.instance" + (anyLive ? " WHERE " + live : "")
        + " ORDER BY c.task_name, i.heartbeat_at DESC", Jdbc.NONE, rs -> {
          String name = rs.getString(1);
          Trigger trigger = rs.getString(4) == null ? Trigger.manual() : Trigger.cron(rs.getString(4));
          Integer prio = (Integer) rs.getObject(5);
          if (prio != null) {
            trigger = rs.getString(4) == null ? Trigger.startup(prio) : trigger.andAtStartup(prio);
          }
          Task.Builder b = "sql".equals(rs.getString(3)) ? Task.sql(name, "SELECT 'recorded by its host'")
              : Task.java(name, ctx -> {
                throw new IllegalStateException("task " + name + " runs on its host, not on an attached client");
              });
          String description = rs.getString(7);
          if (description != null) {
            b.description(description);
          }
          tasks.add(new TaskCatalog.Contribution(b.trigger(trigger).pack(rs.getString(2)).build(), "recorded catalog"));
          if (!rs.getBoolean(6)) {
            enabled.put("autopilot.task." + name + ".enabled", "false");
          }
          return null;
        });
    return new Recorded(TaskCatalog.build(tasks, new Settings(enabled, Map.of(), Map.of())), anyLive);
  }

  /** A recorded catalog and whether it comes from live instances. */
  public record Recorded(TaskCatalog catalog, boolean live) {}
}
