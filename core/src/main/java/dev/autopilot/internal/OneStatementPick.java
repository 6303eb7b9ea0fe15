package dev.autopilot.internal;

import com.github.kagkarlsson.scheduler.Clock;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.TaskResolver;
import com.github.kagkarlsson.scheduler.jdbc.JdbcCustomization;
import com.github.kagkarlsson.scheduler.jdbc.JdbcTaskRepository;
import com.github.kagkarlsson.scheduler.serializer.Serializer;
import com.github.kagkarlsson.scheduler.task.Execution;
import com.github.kagkarlsson.shaded.jdbc.JdbcRunner;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * db-scheduler's task repository with a pick of one statement. db-scheduler picks a due execution
 * with an {@code UPDATE ... WHERE version = ?} and then reads the row back with a {@code SELECT};
 * the update only matches the exact version that was fetched, so the picked row is known without
 * reading it: the fetched execution, picked by this instance at {@code timePicked}, one version
 * later. That saves one of the three statements every execution costs (pick, read back, complete)
 * when polling with {@code fetch}. Everything else is db-scheduler's.
 */
final class OneStatementPick extends JdbcTaskRepository {

  private final JdbcRunner runner;
  private final JdbcCustomization customization;
  private final String table;
  private final String pickedBy;
  private final Clock clock;

  OneStatementPick(DataSource dataSource, JdbcCustomization customization, String table, TaskResolver resolver,
      SchedulerName name, Serializer serializer, boolean orderByPriority, Clock clock) {
    super(dataSource, true, customization, table, resolver, name, serializer, orderByPriority, clock);
    this.runner = new JdbcRunner(dataSource, true); // as db-scheduler's own repository: commits when autocommit is off
    this.customization = customization;
    this.table = table;
    this.pickedBy = Revival.pickedByName(name.getName());
    this.clock = clock;
  }

  /**
   * Picks a fetched execution. The pick's heartbeat is the time the statement is sent, not the
   * {@code timePicked} db-scheduler took before asking the pool for a connection: when the pool is
   * held by long tasks, that wait can outlast the dead limit, and a row picked with a heartbeat
   * that old would be revived by another instance at once.
   */
  @Override
  public Optional<Execution> pick(Execution e, Instant timePicked) {
    Instant[] at = {timePicked};
    int updated = runner.execute("update " + table
        + " set picked = ?, picked_by = ?, last_heartbeat = ?, version = version + 1"
        + " where picked = ? and task_name = ? and task_instance = ? and version = ?", ps -> {
          // rounded to the microsecond as the driver rounds it, so the execution holds what the row holds
          at[0] = later(timePicked, clock.now()).plusNanos(500).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
          ps.setBoolean(1, true);
          ps.setString(2, pickedBy);
          customization.setInstant(ps, 3, at[0]);
          ps.setBoolean(4, false);
          ps.setString(5, e.taskInstance.getTaskName());
          ps.setString(6, e.taskInstance.getId());
          ps.setLong(7, e.version);
        });
    if (updated == 0) {
      return Optional.empty(); // another instance picked it first
    }
    if (updated != 1) {
      throw new IllegalStateException("picking " + e.taskInstance.getTaskAndInstance() + " updated " + updated
          + " rows (task name and instance are the primary key)");
    }
    return Optional.of(new Execution(e.executionTime, e.taskInstance, true, pickedBy, e.lastSuccess, e.lastFailure,
        e.consecutiveFailures, at[0], e.version + 1));
  }

  private static Instant later(Instant a, Instant b) {
    return b.isAfter(a) ? b : a;
  }
}
