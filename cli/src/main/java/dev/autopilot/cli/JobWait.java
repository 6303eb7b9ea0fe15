package dev.autopilot.cli;

import dev.autopilot.Autopilot;
import dev.autopilot.JobQuery;
import dev.autopilot.JobRecord;
import dev.autopilot.JobState;
import java.time.Duration;
import java.util.Optional;

/** Waits for one execution to reach a final state in job history. */
public final class JobWait {

  private JobWait() {}

  /**
   * @param autopilot a started or attached instance
   * @param task the task
   * @param executionId the execution id {@code trigger} returned
   * @param timeout how long at most
   * @param tick called about every 200 ms while waiting (progress display), may be null
   * @return the final record (succeeded, skipped, failed or dead), or empty on timeout
   */
  public static Optional<JobRecord> awaitFinished(Autopilot autopilot, String task, String executionId,
      Duration timeout, Runnable tick) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int polls = 0;
    while (System.nanoTime() < deadline) {
      if (polls++ % 2 == 0) {
        for (JobRecord r : autopilot.monitor().jobs(JobQuery.all().task(task).limit(50))) {
          if (executionId.equals(r.executionId()) && r.state().isFinished() && r.state() != JobState.RETRYING) {
            return Optional.of(r);
          }
        }
      }
      if (tick != null) {
        tick.run();
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
    return Optional.empty();
  }
}
