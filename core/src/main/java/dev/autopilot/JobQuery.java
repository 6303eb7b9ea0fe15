package dev.autopilot;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A filter over jobs: states, task, time, limit and order. Immutable; each method returns a copy.
 *
 * <pre>{@code
 * monitor.jobs(JobQuery.all().states(JobState.FAILED).task("database-backup-hourly").limit(20));
 * }</pre>
 */
public final class JobQuery {

  /** The default and largest limit. */
  public static final int MAX_LIMIT = 10_000;

  private final Set<JobState> states;
  private final String task;
  private final Instant since;
  private final int limit;
  private final boolean newestFirst;

  private JobQuery(Set<JobState> states, String task, Instant since, int limit, boolean newestFirst) {
    this.states = states;
    this.task = task;
    this.since = since;
    this.limit = limit;
    this.newestFirst = newestFirst;
  }

  /** @return every job in every state, newest first, at most 100 */
  public static JobQuery all() {
    return new JobQuery(EnumSet.allOf(JobState.class), null, null, 100, true);
  }

  /**
   * @param first a state
   * @param rest more states
   * @return a copy limited to these states
   */
  public JobQuery states(JobState first, JobState... rest) {
    return new JobQuery(EnumSet.of(first, rest), task, since, limit, newestFirst);
  }

  /**
   * @param taskName a task name
   * @return a copy limited to this task
   */
  public JobQuery task(String taskName) {
    return new JobQuery(states, Objects.requireNonNull(taskName, "taskName"), since, limit, newestFirst);
  }

  /**
   * @param instant only jobs finished (or due) at or after this instant
   * @return a copy
   */
  public JobQuery since(Instant instant) {
    return new JobQuery(states, task, Objects.requireNonNull(instant, "since"), limit, newestFirst);
  }

  /**
   * @param max the most rows returned, 1..{@value #MAX_LIMIT}
   * @return a copy
   */
  public JobQuery limit(int max) {
    if (max < 1 || max > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", was " + max);
    }
    return new JobQuery(states, task, since, max, newestFirst);
  }

  /** @return a copy ordered oldest first */
  public JobQuery oldestFirst() {
    return new JobQuery(states, task, since, limit, false);
  }

  /** @return a copy ordered newest first (the default) */
  public JobQuery newestFirst() {
    return new JobQuery(states, task, since, limit, true);
  }

  /** @return the states asked for */
  public Set<JobState> states() {
    return EnumSet.copyOf(states);
  }

  /** @return the task asked for, if any */
  public Optional<String> task() {
    return Optional.ofNullable(task);
  }

  /** @return the lower time bound, if any */
  public Optional<Instant> since() {
    return Optional.ofNullable(since);
  }

  /** @return the row limit */
  public int limit() {
    return limit;
  }

  /** @return true for newest first */
  public boolean isNewestFirst() {
    return newestFirst;
  }
}
