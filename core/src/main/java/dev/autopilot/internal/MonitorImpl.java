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
    StringBuilder sql = new StringBuilder("SELECT task_name, task_instance, picked, picked_by, execution_time,"
        + " last_heartbeat, consecutive_failures FROM " + q + ".scheduled_tasks WHERE true");
    if (!states.contains(JobState.SCHEDULED)) {
      sql.append(" AND picked");
    } else if (!states.contains(JobState.RUNNING)) {
      sql.append(" AND NOT picked");
    }
    List<Object> args = new ArrayList<>();
    query.task().ifPresent(t -> {
      sql.append(" AND task_name = ?");
      args.add(t);
    });
    sql.append(" ORDER BY execution_time ").append(query.isNewestFirst() ? "DESC" : "ASC").append(" LIMIT ").append(query.limit());
    return rt.jdbc().query(sql.toString(), ps -> bind(ps, args), rs -> {
      boolean picked = rs.getBoolean(3);
      String task = rs.getString(1);
      return new JobRecord(0, task, rs.getString(2), Engine.DB_SCHEDULER,
          picked ? JobState.RUNNING : JobState.SCHEDULED, rs.getInt(7) + 1, rs.getString(4),
          instant(rs, 5), picked ? instant(rs, 5) : null, null, null, null);
    });
  }

  private List<JobRecord> history(JobQuery query, List<String> outcomes) {
    StringBuilder sql = new StringBuilder("SELECT id, task_name, execution_id, engine, outcome, attempt, instance,"
        + " scheduled_at, started_at, finished_at, error_class, error_message FROM " + q + ".job_history"
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
    return new JobRecord(rs.getLong(1), rs.getString(2), rs.getString(3), Engine.fromLabel(rs.getString(4)),
        JobState.fromLabel(rs.getString(5)), rs.getInt(6), rs.getString(7), instant(rs, 8), instant(rs, 9),
        instant(rs, 10), rs.getString(11), rs.getString(12));
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
    rt.jdbc().query("SELECT DISTINCT ON (task_name) id, task_name, execution_id, engine, outcome, attempt, instance,"
        + " scheduled_at, started_at, finished_at, error_class, error_message FROM " + q + ".job_history"
        + " ORDER BY task_name, finished_at DESC, id DESC", Jdbc.NONE, rs -> {
          JobRecord r = historyRow(rs);
          last.put(r.task(), r);
          return null;
        });
    List<TaskStatus> out = new ArrayList<>();
    Instant now = rt.clock().instant();
    for (TaskCatalog.Entry e : rt.catalog().entries()) {
      JobRecord l = last.get(e.name());
      Instant n = next.get(e.name());
      EngineChoice engine = rt.engineOf(e);
      if (n == null && e.enabled() && e.cron() != null) {
        // pg_cron 1.4 reads every schedule in GMT
        n = e.cron().next(now, engine.engine() == Engine.PG_CRON ? java.time.ZoneOffset.UTC : rt.zone());
      }
      out.add(new TaskStatus(e.name(), e.task().kind().name().toLowerCase(java.util.Locale.ROOT), engine.engine(),
          engine.reason(), e.cron() == null ? null : e.cron().toString(),
          e.task().trigger().startupPriority().isPresent() ? e.task().trigger().startupPriority().getAsInt() : null,
          e.enabled(), e.enabled() ? n : null, l == null ? null : l.startedAt(), l == null ? null : l.state(),
          l == null || l.state() == JobState.SUCCEEDED ? null : l.errorMessage(), e.task().description(),
          e.task().pack()));
    }
    out.sort(Comparator.comparing(TaskStatus::name));
    return out;
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
        sql.reason(), failing);
  }
}
