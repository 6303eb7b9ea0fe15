package dev.autopilot.internal;

import dev.autopilot.AutopilotException;
import dev.autopilot.Control;
import dev.autopilot.Pause;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link Control} through the database, so it works the same on a started and an attached runtime. */
final class ControlImpl implements Control {
  private static final Logger log = LoggerFactory.getLogger(ControlImpl.class);

  private final Runtime rt;
  private final String q;

  ControlImpl(Runtime rt) {
    this.rt = rt;
    this.q = Jdbc.quoteIdent(rt.schema());
  }

  @Override
  public void pause(String task, String by, String reason) {
    TaskCatalog.Entry e = rt.catalog().get(Objects.requireNonNull(task, "task"));
    String who = requireBy(by);
    rt.jdbc().update("INSERT INTO " + q + ".task_pauses (task_name, paused_by, reason) VALUES (?, ?, ?)"
        + " ON CONFLICT (task_name) DO UPDATE SET paused_by = excluded.paused_by, reason = excluded.reason,"
        + " paused_at = now()", ps -> {
          ps.setString(1, e.name());
          ps.setString(2, who);
          ps.setString(3, reason);
        });
    rt.pauses().invalidate();
    cronActive(e.name(), false);
    Notifier.send(rt, Notifier.PAUSE);
    log.info("{}task {} paused by {}{}", rt.logPrefix(), e.name(), who, reason == null ? "" : ": " + reason);
  }

  @Override
  public void resume(String task, String by) {
    TaskCatalog.Entry e = rt.catalog().get(Objects.requireNonNull(task, "task"));
    String who = requireBy(by);
    int n = rt.jdbc().update("DELETE FROM " + q + ".task_pauses WHERE task_name = ?", ps -> ps.setString(1, e.name()));
    rt.pauses().invalidate();
    cronActive(e.name(), true);
    Notifier.send(rt, Notifier.PAUSE);
    if (n > 0) {
      log.info("{}task {} resumed by {}", rt.logPrefix(), e.name(), who);
    }
  }

  private void cronActive(String task, boolean active) {
    rt.extension(dev.autopilot.internal.pgcron.PgCronEngine.class).ifPresent(x -> x.setActive(task, active));
  }

  @Override
  public List<Pause> pauses() {
    return Pauses.list(rt.jdbc(), rt.schema());
  }

  /** A scheduled or running execution, as db-scheduler's table holds it. */
  private record Live(String task, String id, boolean picked, String pickedBy, long version) {}

  @Override
  public boolean cancel(String executionId, String by) {
    String who = requireBy(by);
    Ref ref = Ref.parse(executionId);
    List<Live> found = rt.jdbc().query("SELECT task_name, task_instance, picked, picked_by, version FROM " + q
        + ".scheduled_tasks WHERE task_instance = ? AND (? IS NULL OR task_name = ?)", ps -> {
          ps.setString(1, ref.id());
          ps.setString(2, ref.task());
          ps.setString(3, ref.task());
        }, rs -> new Live(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getString(4), rs.getLong(5)));
    if (found.isEmpty()) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("pg_cron-(\\d{1,18})").matcher(ref.id());
      if (m.matches()) { // a pg_cron run in progress (a failed one being retried is in scheduled_tasks)
        long runId = Long.parseLong(m.group(1));
        return rt.extension(dev.autopilot.internal.pgcron.PgCronEngine.class).map(x -> x.cancelRun(runId, who))
            .orElse(false);
      }
      return false;
    }
    if (found.size() > 1) {
      throw new AutopilotException("execution id '" + ref.id() + "' names executions of " + found.size()
          + " tasks; name one as TASK:ID, for example " + found.get(0).task() + ":" + ref.id());
    }
    Live l = found.get(0);
    if (!l.picked() && cancelQueued(l, who)) {
      return true;
    }
    // running (or picked just now): ask the instance running it
    String instance = l.pickedBy() != null ? l.pickedBy() : rt.jdbc().queryOne("SELECT picked_by FROM " + q
        + ".scheduled_tasks WHERE task_name = ? AND task_instance = ?", ps -> {
          ps.setString(1, l.task());
          ps.setString(2, l.id());
        }, rs -> rs.getString(1)).orElse(null);
    if (instance == null) {
      return false; // finished meanwhile
    }
    rt.jdbc().update("INSERT INTO " + q + ".running_executions (task_name, execution_id, instance,"
        + " cancel_requested_by, cancel_requested_at) VALUES (?, ?, ?, ?, now()) ON CONFLICT (task_name, execution_id)"
        + " DO UPDATE SET cancel_requested_by = excluded.cancel_requested_by, cancel_requested_at = now()", ps -> {
          ps.setString(1, l.task());
          ps.setString(2, l.id());
          ps.setString(3, instance);
          ps.setString(4, who);
        });
    Notifier.send(rt, Notifier.CANCEL);
    log.info("{}cancel of running execution {}:{} on {} requested by {}", rt.logPrefix(), l.task(), l.id(), instance, who);
    return true;
  }

  /** Removes a queued execution (a recurring one skips to its next slot); @return false when it was picked meanwhile. */
  private boolean cancelQueued(Live l, String who) {
    TaskCatalog.Entry e = rt.catalog().find(l.task()).orElse(null);
    boolean recurring = Runtime.RECURRING.equals(l.id()) && e != null && e.cron() != null;
    int n;
    if (recurring) {
      Instant next = new CronSchedule(e.cron(), rt.zone()).next(rt.clock().instant());
      n = rt.jdbc().update("UPDATE " + q + ".scheduled_tasks SET execution_time = ?, consecutive_failures = 0,"
          + " version = version + 1 WHERE task_name = ? AND task_instance = ? AND NOT picked AND version = ?", ps -> {
            ps.setTimestamp(1, Timestamp.from(next));
            ps.setString(2, l.task());
            ps.setString(3, l.id());
            ps.setLong(4, l.version());
          });
    } else {
      n = rt.jdbc().update("DELETE FROM " + q + ".scheduled_tasks WHERE task_name = ? AND task_instance = ?"
          + " AND NOT picked AND version = ?", ps -> {
            ps.setString(1, l.task());
            ps.setString(2, l.id());
            ps.setLong(3, l.version());
          });
    }
    if (n == 0) {
      return false;
    }
    rt.jdbc().update("INSERT INTO " + q + ".job_history (task_name, execution_id, engine, outcome, attempt, instance,"
        + " started_at, finished_at, duration_ms, error_message) VALUES (?, ?, 'db-scheduler', 'cancelled', 1, NULL,"
        + " now(), now(), 0, ?)", ps -> {
          ps.setString(1, l.task());
          ps.setString(2, l.id());
          ps.setString(3, "cancelled by " + who + " before it started" + (recurring ? " (skipped to the next slot)" : ""));
        });
    log.info("{}queued execution {}:{} cancelled by {}", rt.logPrefix(), l.task(), l.id(), who);
    return true;
  }

  /** The newest history row of an execution. */
  private record Last(long id, String task, String executionId, String outcome, String args) {}

  @Override
  public String retry(String executionId, String by) {
    String who = requireBy(by);
    Objects.requireNonNull(executionId, "executionId");
    List<Last> rows;
    String select = "SELECT id, task_name, execution_id, outcome, args::text FROM " + q + ".job_history";
    if (executionId.matches("\\d{1,18}")) {
      rows = rt.jdbc().query(select + " WHERE id = ?", ps -> ps.setLong(1, Long.parseLong(executionId)), ControlImpl::last);
    } else {
      Ref ref = Ref.parse(executionId);
      rows = rt.jdbc().query("SELECT DISTINCT ON (task_name) id, task_name, execution_id, outcome, args::text FROM " + q
          + ".job_history WHERE execution_id = ? AND (? IS NULL OR task_name = ?) ORDER BY task_name, finished_at DESC, id DESC",
          ps -> {
            ps.setString(1, ref.id());
            ps.setString(2, ref.task());
            ps.setString(3, ref.task());
          }, ControlImpl::last);
    }
    if (rows.isEmpty()) {
      throw new AutopilotException("no execution '" + executionId + "' in job history");
    }
    if (rows.size() > 1) {
      throw new AutopilotException("execution id '" + executionId + "' names executions of " + rows.size()
          + " tasks; name one as TASK:ID, for example " + rows.get(0).task() + ":" + executionId);
    }
    Last l = rows.get(0);
    if (!l.outcome().equals("failed") && !l.outcome().equals("dead")) {
      throw new AutopilotException("execution " + l.task() + ":" + l.executionId() + " cannot be retried: its last outcome"
          + " is " + l.outcome() + " (only failed or dead executions are retried)");
    }
    java.util.Map<String, String> args = rt.jdbc().query("SELECT key, value FROM jsonb_each_text(?::jsonb)",
        ps -> ps.setString(1, l.args() == null ? "{}" : l.args()), rs -> java.util.Map.entry(rs.getString(1), rs.getString(2)))
        .stream().collect(java.util.stream.Collectors.toMap(java.util.Map.Entry::getKey, java.util.Map.Entry::getValue,
            (a, b) -> a, java.util.LinkedHashMap::new));
    String id = rt.trigger(l.task(), "retry", RunArgs.of(args, l.executionId(), 0));
    log.info("{}execution {}:{} re-run as {} by {}", rt.logPrefix(), l.task(), l.executionId(), id, who);
    return id;
  }

  private static Last last(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Last(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5));
  }

  private static String requireBy(String by) {
    if (by == null || by.isBlank()) {
      throw new IllegalArgumentException("'by' (who does this) must not be blank");
    }
    return by.trim();
  }

  /** An execution id, optionally qualified by its task as {@code TASK:ID}. */
  record Ref(String task, String id) {
    static Ref parse(String s) {
      Objects.requireNonNull(s, "executionId");
      String v = s.trim();
      if (v.isEmpty()) {
        throw new IllegalArgumentException("execution id must not be blank");
      }
      int colon = v.indexOf(':');
      return colon > 0 ? new Ref(v.substring(0, colon), v.substring(colon + 1)) : new Ref(null, v);
    }
  }
}
