package dev.autopilot.internal.bootstrap;

import dev.autopilot.BootstrapStatus;
import dev.autopilot.BootstrapStatus.Step;
import dev.autopilot.BootstrapStatus.StepState;
import dev.autopilot.internal.Jdbc;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Reads and changes waves and steps. Every state change is a compare-and-set on the row. */
public final class BootstrapStore {

  /** A step to put in a new wave. */
  record Planned(String task, int priority) {}

  private final Jdbc jdbc;
  private final String q;

  public BootstrapStore(Jdbc jdbc, String schema) {
    this.jdbc = jdbc;
    this.q = Jdbc.quoteIdent(schema);
  }

  /**
   * Joins the wave in progress or opened within the window, or opens a new one with these steps.
   * Serialised cluster-wide by a transaction-scoped advisory lock, so instances starting together
   * agree on one wave.
   *
   * @return the wave id and whether this call opened it
   */
  long[] openOrJoin(String instance, Duration window, List<Planned> steps) {
    return jdbc.inTransaction(c -> {
      Jdbc.query(c, "SELECT pg_advisory_xact_lock(hashtext(?))", ps -> ps.setString(1, q + ".bootstrap"), rs -> null);
      Optional<Long> join = Jdbc.query(c, "SELECT id FROM " + q + ".bootstrap_waves"
          + " WHERE finished_at IS NULL OR opened_at > now() - make_interval(secs => ?)"
          + " ORDER BY id DESC LIMIT 1", ps -> ps.setDouble(1, window.toMillis() / 1000.0),
          rs -> rs.getLong(1)).stream().findFirst();
      if (join.isPresent()) {
        Jdbc.update(c, "UPDATE " + q + ".bootstrap_waves SET joined_by = array_append(joined_by, ?) WHERE id = ?"
            + " AND NOT (? = ANY (joined_by))", ps -> {
              ps.setString(1, instance);
              ps.setLong(2, join.get());
              ps.setString(3, instance);
            });
        return new long[] {join.get(), 0};
      }
      long id = Jdbc.query(c, "INSERT INTO " + q + ".bootstrap_waves (opened_by, joined_by) VALUES (?, ARRAY[?]) RETURNING id",
          ps -> {
            ps.setString(1, instance);
            ps.setString(2, instance);
          }, rs -> rs.getLong(1)).get(0);
      for (int i = 0; i < steps.size(); i++) {
        Planned p = steps.get(i);
        int ordinal = i;
        Jdbc.update(c, "INSERT INTO " + q + ".bootstrap_steps (wave_id, ordinal, task_name, priority) VALUES (?, ?, ?, ?)",
            ps -> {
              ps.setLong(1, id);
              ps.setInt(2, ordinal);
              ps.setString(3, p.task());
              ps.setInt(4, p.priority());
            });
      }
      return new long[] {id, 1};
    });
  }

  /** @return the newest wave, or {@link BootstrapStatus#none()} */
  public BootstrapStatus latest() {
    Optional<Long> id = jdbc.queryOne("SELECT max(id) FROM " + q + ".bootstrap_waves", Jdbc.NONE, rs -> {
      long v = rs.getLong(1);
      return rs.wasNull() ? null : v;
    });
    return id.map(this::wave).orElse(BootstrapStatus.none());
  }

  /** @return the wave with this id, or {@link BootstrapStatus#none()} */
  public BootstrapStatus wave(long id) {
    return jdbc.withConnection(c -> {
      List<BootstrapStatus> w = Jdbc.query(c, "SELECT opened_by, opened_at, finished_at, joined_by FROM " + q
          + ".bootstrap_waves WHERE id = ?", ps -> ps.setLong(1, id), rs -> {
            Array a = rs.getArray(4);
            List<String> joined = a == null ? List.of() : Arrays.asList((String[]) a.getArray());
            return new BootstrapStatus(id, rs.getString(1), instant(rs, 2), instant(rs, 3), joined, steps(c, id));
          });
      return w.isEmpty() ? BootstrapStatus.none() : w.get(0);
    });
  }

  private List<Step> steps(Connection c, long wave) throws SQLException {
    return Jdbc.query(c, "SELECT task_name, priority, state, attempts, started_at, finished_at, message, blocked"
        + " FROM " + q + ".bootstrap_steps WHERE wave_id = ? ORDER BY ordinal", ps -> ps.setLong(1, wave),
        rs -> new Step(rs.getString(1), rs.getInt(2), StepState.valueOf(rs.getString(3).toUpperCase(Locale.ROOT)),
            rs.getInt(4), instant(rs, 5), instant(rs, 6), rs.getString(7), rs.getBoolean(8)));
  }

  /**
   * Moves a pending step to running and enqueues its db-scheduler execution in the same
   * transaction, so a crash leaves either both or neither.
   *
   * @return true when this call started the step
   */
  boolean start(long wave, String task, String executionId) {
    return jdbc.inTransaction(c -> {
      int n = Jdbc.update(c, "UPDATE " + q + ".bootstrap_steps SET state = 'running', execution_id = ?, attempts = 1,"
          + " started_at = now() WHERE wave_id = ? AND task_name = ? AND state = 'pending'", ps -> {
            ps.setString(1, executionId);
            ps.setLong(2, wave);
            ps.setString(3, task);
          });
      if (n == 0) {
        return false;
      }
      // db-scheduler's own row format: a one-time execution without data, due now.
      Jdbc.update(c, "INSERT INTO " + q + ".scheduled_tasks (task_name, task_instance, task_data, execution_time,"
          + " picked, version, priority, consecutive_failures) VALUES (?, ?, NULL, now(), false, 1, 50, 0)"
          + " ON CONFLICT DO NOTHING", ps -> {
            ps.setString(1, task);
            ps.setString(2, executionId);
          });
      return true;
    });
  }

  /** A live execution's row in db-scheduler's table, if it is still there. */
  record Live(int consecutiveFailures, boolean picked) {}

  Optional<Live> live(String task, String executionId) {
    return jdbc.queryOne("SELECT coalesce(consecutive_failures, 0), picked FROM " + q + ".scheduled_tasks"
        + " WHERE task_name = ? AND task_instance = ?", ps -> {
          ps.setString(1, task);
          ps.setString(2, executionId);
        }, rs -> new Live(rs.getInt(1), rs.getBoolean(2)));
  }

  /** The last history row of an execution. */
  record Outcome(String outcome, int attempt, String message) {}

  Optional<Outcome> lastOutcome(String task, String executionId) {
    return jdbc.queryOne("SELECT outcome, attempt, coalesce(error_message, '') FROM " + q + ".job_history"
        + " WHERE task_name = ? AND execution_id = ? ORDER BY id DESC LIMIT 1", ps -> {
          ps.setString(1, task);
          ps.setString(2, executionId);
        }, rs -> new Outcome(rs.getString(1), rs.getInt(2), rs.getString(3)));
  }

  /** Sets a step's state if it is still in one of the expected states. */
  boolean transition(long wave, String task, List<String> from, String to, int attempts, String message,
      boolean blocked) {
    boolean done = to.equals("succeeded") || to.equals("skipped") || to.equals("failed");
    return jdbc.update("UPDATE " + q + ".bootstrap_steps SET state = ?, attempts = greatest(attempts, ?), message = ?,"
        + " blocked = ?, finished_at = CASE WHEN ? THEN now() END"
        + " WHERE wave_id = ? AND task_name = ? AND state = ANY (?)"
        + " AND (state <> ? OR attempts <> greatest(attempts, ?) OR message IS DISTINCT FROM ?)", ps -> {
          ps.setString(1, to);
          ps.setInt(2, attempts);
          ps.setString(3, message);
          ps.setBoolean(4, blocked);
          ps.setBoolean(5, done);
          ps.setLong(6, wave);
          ps.setString(7, task);
          ps.setArray(8, ps.getConnection().createArrayOf("text", from.toArray()));
          ps.setString(9, to);
          ps.setInt(10, attempts);
          ps.setString(11, message);
        }) == 1;
  }

  /** Marks the wave finished once, with its outcome. */
  void finish(long wave, boolean succeeded) {
    jdbc.update("UPDATE " + q + ".bootstrap_waves SET finished_at = now(), outcome = ? WHERE id = ? AND finished_at IS NULL",
        ps -> {
          ps.setString(1, succeeded ? "succeeded" : "failed");
          ps.setLong(2, wave);
        });
  }

  private static Instant instant(ResultSet rs, int col) throws SQLException {
    Timestamp t = rs.getTimestamp(col);
    return t == null ? null : t.toInstant();
  }
}
