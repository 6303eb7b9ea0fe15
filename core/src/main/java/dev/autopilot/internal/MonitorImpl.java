package dev.autopilot.internal;

import dev.autopilot.Engine;
import dev.autopilot.Health;
import dev.autopilot.JobQuery;
import dev.autopilot.JobRecord;
import dev.autopilot.JobState;
import dev.autopilot.Monitor;
import dev.autopilot.TaskStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** {@link Monitor} over db-scheduler's table and job history. */
public final class MonitorImpl implements Monitor {

  private final Runtime rt;
  private final String q;

  public MonitorImpl(Runtime rt) {
    this.rt = rt;
    this.q = Jdbc.quoteIdent(rt.schema());
  }

  @Override
  public List<JobRecord> jobs(JobQuery query) {
    List<JobRecord> out = new ArrayList<>();
    Set<JobState> states = query.states();
    boolean live = states.contains(JobState.SCHEDULED) || states.contains(JobState.RUNNING);
    if (live) {
      out.addAll(liveJobs(query));
    }
    if (states.contains(JobState.RUNNING)) { // pg_cron runs in progress, cancellable as pg_cron-<runid>
      rt.extension(dev.autopilot.internal.pgcron.PgCronEngine.class)
          .ifPresent(x -> out.addAll(x.running(query.task().orElse(null))));
    }
    List<String> finished = states.stream().filter(JobState::isFinished).map(JobState::label).collect(Collectors.toList());
    if (!finished.isEmpty()) {
      out.addAll(history(query, finished));
    }
    Comparator<JobRecord> byTime = Comparator.comparing(MonitorImpl::sortTime);
    out.sort(query.isNewestFirst() ? byTime.reversed() : byTime);
    return out.size() > query.limit() ? new ArrayList<>(out.subList(0, query.limit())) : out;
  }

  private static Instant sortTime(JobRecord r) {
    if (r.finishedAt() != null) {
      return r.finishedAt();
    }
    if (r.startedAt() != null) {
      return r.startedAt();
    }
    return r.scheduledAt() == null ? Instant.EPOCH : r.scheduledAt();
  }

  private List<JobRecord> liveJobs(JobQuery query) {
    Set<JobState> states = query.states();
    StringBuilder sql = new StringBuilder("SELECT t.task_name, t.task_instance, t.picked, t.picked_by, t.execution_time,"
        + " t.last_heartbeat, t.consecutive_failures, coalesce(r.started_at, t.last_heartbeat),"
        // a run's start is in running_executions from about 1.5 s after it; before that, the pick's
        // heartbeat (db-scheduler writes the pick time there, and the next heartbeat comes seconds later)
        + " t.task_data FROM " + q + ".scheduled_tasks t"
        + " LEFT JOIN " + q + ".running_executions r ON r.task_name = t.task_name AND r.execution_id = t.task_instance"
        + " AND r.started_at IS NOT NULL AND t.picked WHERE true");
    if (!states.contains(JobState.SCHEDULED)) {
      sql.append(" AND t.picked");
    } else if (!states.contains(JobState.RUNNING)) {
      sql.append(" AND NOT t.picked");
    }
    List<Object> args = new ArrayList<>();
    query.task().ifPresent(t -> {
      sql.append(" AND t.task_name = ?");
      args.add(t);
    });
    sql.append(" ORDER BY t.execution_time ").append(query.isNewestFirst() ? "DESC" : "ASC").append(" LIMIT ").append(query.limit());
    return rt.jdbc().query(sql.toString(), ps -> bind(ps, args), rs -> {
      boolean picked = rs.getBoolean(3);
      String task = rs.getString(1);
      RunArgs data = data(rs.getBytes(9));
      Instant started = instant(rs, 8);
      return new JobRecord(0, task, rs.getString(2), Engine.DB_SCHEDULER,
          picked ? JobState.RUNNING : JobState.SCHEDULED, rs.getInt(7) + 1 + data.attemptOffset(), rs.getString(4),
          instant(rs, 5), picked ? (started != null ? started : instant(rs, 5)) : null, null, null, null, data.args(),
          data.retryOf());
    });
  }

  /** db-scheduler's task data of an execution (Java-serialized {@link RunArgs}), or none. */
  private static RunArgs data(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      return RunArgs.NONE;
    }
    try {
      Object o = RunArgsSerializer.INSTANCE.deserialize(Object.class, bytes);
      return o instanceof RunArgs ? (RunArgs) o : RunArgs.NONE;
    } catch (RuntimeException e) {
      return RunArgs.NONE;
    }
  }

  /** The columns {@link #historyRow} reads, args as two arrays (PostgreSQL parses the JSON). */
  static final String HISTORY_COLUMNS = "id, task_name, execution_id, engine, outcome, attempt, instance,"
      + " scheduled_at, started_at, finished_at, error_class, error_message,"
      + " (SELECT array_agg(key) FROM jsonb_each_text(args)), (SELECT array_agg(value) FROM jsonb_each_text(args)),"
      + " retry_of";

  private List<JobRecord> history(JobQuery query, List<String> outcomes) {
    StringBuilder sql = new StringBuilder("SELECT " + HISTORY_COLUMNS + " FROM " + q + ".job_history"
        + " WHERE outcome = ANY (?)");
    List<Object> args = new ArrayList<>();
    args.add(outcomes.toArray(new String[0]));
    query.task().ifPresent(t -> {
      sql.append(" AND task_name = ?");
      args.add(t);
    });
    query.since().ifPresent(s -> {
      sql.append(" AND finished_at >= ?");
      args.add(Timestamp.from(s));
    });
    sql.append(" ORDER BY finished_at ").append(query.isNewestFirst() ? "DESC, id DESC" : "ASC, id ASC")
        .append(" LIMIT ").append(query.limit());
    return rt.jdbc().query(sql.toString(), ps -> bind(ps, args), MonitorImpl::historyRow);
  }

  static JobRecord historyRow(ResultSet rs) throws SQLException {
    Map<String, String> args = new java.util.LinkedHashMap<>();
    java.sql.Array keys = rs.getArray(13);
    java.sql.Array values = rs.getArray(14);
    if (keys != null && values != null) {
      String[] k = (String[]) keys.getArray();
      String[] v = (String[]) values.getArray();
      for (int i = 0; i < k.length; i++) {
        args.put(k[i], v[i]);
      }
    }
    return new JobRecord(rs.getLong(1), rs.getString(2), rs.getString(3), Engine.fromLabel(rs.getString(4)),
        JobState.fromLabel(rs.getString(5)), rs.getInt(6), rs.getString(7), instant(rs, 8), instant(rs, 9),
        instant(rs, 10), rs.getString(11), rs.getString(12), args, rs.getString(15));
  }

  private static void bind(java.sql.PreparedStatement ps, List<Object> args) throws SQLException {
    for (int i = 0; i < args.size(); i++) {
      Object a = args.get(i);
      if (a instanceof String[]) {
        ps.setArray(i + 1, ps.getConnection().createArrayOf("text", (String[]) a));
      } else {
        ps.setObject(i + 1, a);
      }
    }
  }

  static Instant instant(ResultSet rs, int col) throws SQLException {
    Timestamp t = rs.getTimestamp(col);
    return t == null ? null : t.toInstant();
  }

  @Override
  public List<TaskStatus> tasks() {
    Map<String, Instant> next = new HashMap<>();
    rt.jdbc().query("SELECT task_name, execution_time FROM " + q + ".scheduled_tasks WHERE task_instance = ?",
        ps -> ps.setString(1, Runtime.RECURRING), rs -> {
          next.put(rs.getString(1), instant(rs, 2));
          return null;
        });
    Map<String, JobRecord> last = new HashMap<>();
    Map<String, String> unreadable = new HashMap<>();
    java.util.Set<String> paused = Pauses.names(rt.jdbc(), rt.schema());
    // one range of the (task_name, finished_at DESC, id DESC) index per task: DISTINCT ON over the whole
    // history took seconds at a million rows. A range rather than "=", with the index's full order,
    // so the planner cannot walk the finished_at index instead for a task with few runs.
    String[] names = rt.catalog().entries().stream().map(TaskCatalog.Entry::name).toArray(String[]::new);
    rt.jdbc().query("SELECT h.* FROM unnest(?::text[]) AS t(name) CROSS JOIN LATERAL (SELECT " + HISTORY_COLUMNS
        + " FROM " + q + ".job_history WHERE task_name >= t.name AND task_name <= t.name"
        + " ORDER BY task_name, finished_at DESC, id DESC LIMIT 1) h",
        ps -> ps.setArray(1, ps.getConnection().createArrayOf("text", names)), rs -> {
          try {
            JobRecord r = historyRow(rs);
            last.put(r.task(), r);
          } catch (RuntimeException bad) { // one unreadable row (a newer version's outcome) hides nothing else
            unreadable.put(rs.getString(2), "last run unreadable: " + Secrets.message(bad));
          }
          return null;
        });
    List<TaskStatus> out = new ArrayList<>();
    Instant now = rt.clock().instant();
    for (TaskCatalog.Entry e : rt.catalog().entries()) {
      out.add(status(e, last.get(e.name()), next.get(e.name()), unreadable.get(e.name()), now,
          paused.contains(e.name())));
    }
    out.sort(Comparator.comparing(TaskStatus::name));
    return out;
  }

  /** One task's status; a failure computing it is reported in that task's status, never thrown. */
  private TaskStatus status(TaskCatalog.Entry e, JobRecord l, Instant n, String problem, Instant now, boolean paused) {
    EngineChoice engine = rt.engineOf(e);
    if (n == null && e.enabled() && e.cron() != null) {
      try {
        // pg_cron 1.4 reads every schedule in GMT
        n = e.cron().next(now, engine.engine() == Engine.PG_CRON ? java.time.ZoneOffset.UTC : rt.zone());
      } catch (RuntimeException bad) {
        problem = "cannot compute the next run of '" + e.cron() + "': " + Secrets.message(bad);
      }
    }
    String error = l == null || l.state() == JobState.SUCCEEDED ? null : l.errorMessage();
    if (problem != null) {
      error = error == null ? problem : problem + "; " + error;
    }
    return new TaskStatus(e.name(), e.task().kind().name().toLowerCase(java.util.Locale.ROOT), engine.engine(),
        engine.reason(), e.cron() == null ? null : e.cron().toString(),
        e.task().trigger().startupPriority().isPresent() ? e.task().trigger().startupPriority().getAsInt() : null,
        e.enabled(), e.enabled() && !paused ? n : null, l == null ? null : l.startedAt(),
        l == null ? null : l.state(), error, e.task().description(), e.task().pack(), paused);
  }

  @Override
  public List<dev.autopilot.InstanceStatus> instances() {
    return new CatalogStore(rt.jdbc(), rt.schema()).instances();
  }

  @Override
  public Optional<TaskStatus> task(String name) {
    return tasks().stream().filter(t -> t.name().equals(name)).findFirst();
  }

  @Override
  public dev.autopilot.BootstrapStatus bootstrap() {
    return new dev.autopilot.internal.bootstrap.BootstrapStore(rt.jdbc(), rt.schema()).latest();
  }

  @Override
  public Health health() {
    List<String> failing = tasks().stream()
        .filter(t -> t.lastOutcome() == JobState.FAILED || t.lastOutcome() == JobState.DEAD)
        .map(TaskStatus::name).collect(Collectors.toList());
    boolean running = rt.scheduler() != null && rt.scheduler().getSchedulerState().isStarted()
        && !rt.scheduler().getSchedulerState().isShuttingDown();
    EngineChoice sql = rt.sqlEngine();
    return new Health(rt.alive(), String.valueOf(rt.schemaVersion()), running, sql.engine() == Engine.PG_CRON,
        sql.reason(), failing, rt.databaseReachable(), rt.historyRowsDropped());
  }

  @Override
  public dev.autopilot.PgCronStatus pgCron(int runLimit) {
    return dev.autopilot.internal.pgcron.CronView.read(rt, runLimit);
  }
}
