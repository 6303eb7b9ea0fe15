package dev.autopilot;

import java.time.Duration;
import java.util.List;

/** Triggers a task and waits for that very run to succeed (fails fast when it failed). */
public final class TaskRuns {
  private TaskRuns() {}

  /** Triggers the task and waits up to two minutes for the run's success. */
  public static void run(Autopilot ap, String task) {
    String id = ap.trigger(task);
    Await.until(Duration.ofSeconds(120), task + " succeeded", () -> {
      ap.flushHistory(Duration.ofSeconds(1));
      List<JobRecord> jobs = ap.monitor().jobs(JobQuery.all().task(task));
      if (jobs.stream().anyMatch(j -> j.executionId().equals(id) && j.state() == JobState.FAILED)) {
        throw new AssertionError(task + " failed: " + jobs);
      }
      return jobs.stream().anyMatch(j -> j.executionId().equals(id) && j.state() == JobState.SUCCEEDED);
    });
  }
}
