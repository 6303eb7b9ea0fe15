package dev.autopilot;

import java.util.List;
import java.util.Optional;

/** One view of what ran, what failed and what is next, over both engines. Thread-safe. */
public interface Monitor {

  /**
   * Jobs matching a query: scheduled and running ones from the engines, finished ones from job
   * history.
   *
   * @param query states, task, limit and order
   * @return the jobs, ordered as asked
   */
  List<JobRecord> jobs(JobQuery query);

  /** @return every task of the catalog with engine, schedule, next and last run, by name */
  List<TaskStatus> tasks();

  /**
   * @param name a task name
   * @return the task's status, if the task exists
   */
  Optional<TaskStatus> task(String name);

  /**
   * The newest start-up wave, cluster-wide: each start-up task's step with its state (pending,
   * running, retrying, succeeded, skipped, failed), attempts and last error or skip reason.
   *
   * @return the wave, or {@link BootstrapStatus#none()} when no wave was ever opened
   */
  BootstrapStatus bootstrap();

  /** @return health now */
  Health health();

  /**
   * The hosts that started on this database, as they recorded themselves: which are alive, their
   * packs and task counts. Operator tools learn the task set from here.
   *
   * @return every recorded instance, live ones first
   */
  List<InstanceStatus> instances();
}
