package dev.autopilot;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The progress of a start-up wave: the start-up tasks of the catalog, run once per wave in
 * priority order (higher first), each after the one before it finished.
 *
 * <p>A <em>wave</em> is opened by the first instance that starts when no wave is in progress and
 * none was opened within the wave window ({@code autopilot.bootstrap.wave-window}, default 60 s);
 * every instance starting while that wave is in progress or within the window joins it instead of
 * running the start-up tasks again. A step that fails is retried with its task's retry policy;
 * while it retries the later steps wait, and once it has finally failed the later steps are
 * {@link StepState#SKIPPED skipped} with the reason.
 *
 * @param waveId the wave's id, 0 when there is no wave
 * @param openedBy the instance that opened the wave, or null when there is none
 * @param openedAt when the wave was opened, or null
 * @param finishedAt when its last step finished, or null while it is in progress
 * @param instances every instance that opened or joined the wave
 * @param steps the steps in the order they run
 */
public record BootstrapStatus(
    long waveId,
    String openedBy,
    Instant openedAt,
    Instant finishedAt,
    List<String> instances,
    List<Step> steps) {

  /**
   * Creates a status, copying the lists.
   *
   * @param waveId the wave's id, 0 when there is no wave
   * @param openedBy the instance that opened the wave, or null
   * @param openedAt when the wave was opened, or null
   * @param finishedAt when its last step finished, or null
   * @param instances every instance that opened or joined the wave
   * @param steps the steps in the order they run
   */
  public BootstrapStatus {
    instances = List.copyOf(instances);
    steps = List.copyOf(steps);
  }

  /** @return the status when no wave exists (no start-up tasks, or bootstrap disabled) */
  public static BootstrapStatus none() {
    return new BootstrapStatus(0, null, null, null, List.of(), List.of());
  }

  /**
   * @return true when the wave has finished: every step finished and the wave's end recorded in
   *     {@link #finishedAt()} (also true when there is no wave)
   */
  public boolean finished() {
    return waveId == 0 || (finishedAt != null && steps.stream().allMatch(s -> s.state().isFinished()));
  }

  /**
   * @return true when finished and no step failed or was skipped because an earlier one failed
   *     (a step the task itself skipped, for example for lack of configuration, counts as done)
   */
  public boolean succeeded() {
    return finished() && steps.stream().noneMatch(s -> s.state() == StepState.FAILED || s.blocked());
  }

  /**
   * @param task a task name
   * @return that task's step in this wave, if it has one
   */
  public java.util.Optional<Step> step(String task) {
    return steps.stream().filter(s -> s.task().equals(Objects.requireNonNull(task, "task"))).findFirst();
  }

  /** Where a step is. */
  public enum StepState {
    /** Waiting for the steps before it. */
    PENDING,
    /** Scheduled or executing. */
    RUNNING,
    /** Failed at least once and waiting for its next attempt (retry with backoff). */
    RETRYING,
    /** Finished successfully. */
    SUCCEEDED,
    /** Not run or nothing done: the task skipped itself, or an earlier step finally failed. */
    SKIPPED,
    /** Failed after its last attempt. */
    FAILED;

    /** @return true for {@link #SUCCEEDED}, {@link #SKIPPED} and {@link #FAILED} */
    public boolean isFinished() {
      return this == SUCCEEDED || this == SKIPPED || this == FAILED;
    }
  }

  /**
   * One start-up task in a wave.
   *
   * @param task the task name
   * @param priority its start-up priority
   * @param state where it is
   * @param attempts attempts started so far
   * @param startedAt when it was first scheduled, or null
   * @param finishedAt when it finished, or null
   * @param message the skip reason, the last error, or null
   * @param blocked true when it was skipped because an earlier step failed
   */
  public record Step(
      String task,
      int priority,
      StepState state,
      int attempts,
      Instant startedAt,
      Instant finishedAt,
      String message,
      boolean blocked) {}
}
