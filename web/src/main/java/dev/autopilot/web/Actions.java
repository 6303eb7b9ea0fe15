package dev.autopilot.web;

import dev.autopilot.Autopilot;
import dev.autopilot.TaskStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The actions the dashboard offers: run now ({@link Autopilot#trigger}), and pause, resume,
 * retry and cancel through {@link Autopilot#control()}.
 */
final class Actions {
  private static final Map<String, List<String>> AVAILABLE = Map.of(
      "tasks", List.of("run", "pause", "resume"),
      "jobs", List.of("retry", "cancel"));

  private final Autopilot autopilot;
  private final Store store;

  Actions(Autopilot autopilot, Store store) {
    this.autopilot = autopilot;
    this.store = store;
  }

  /** @return the actions offered, by what they act on */
  Map<String, List<String>> available() {
    return AVAILABLE;
  }

  boolean supports(String kind, String action) {
    return AVAILABLE.getOrDefault(kind, List.of()).contains(action);
  }

  boolean paused(TaskStatus t) {
    return t.paused();
  }

  /** @return links from a history row to the run it retried and the run that retried it */
  Map<String, Object> links(Store.Job j) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (j.retryOf() != null) {
      store.newestRun(j.task(), j.retryOf(), j.finishedAt()).ifPresent(id -> out.put("retryOf", id));
    }
    if (j.state().equals("failed") || j.state().equals("dead")) {
      store.retriedBy(j.task(), j.executionId(), j.finishedAt()).ifPresent(id -> out.put("retriedBy", id));
    }
    return out;
  }

  /**
   * @param target a task name (tasks), a job-history id (retry) or {@code TASK:EXECUTION} (cancel)
   * @return the answer: what was done, with {@code detail} for the audit table
   */
  Map<String, Object> run(String kind, String action, String target, String by, String reason) {
    Map<String, Object> out = new LinkedHashMap<>();
    switch (kind + "/" + action) {
      case "tasks/run" -> {
        String id = autopilot.trigger(target);
        out.put("task", target);
        out.put("executionId", id);
        out.put("detail", id);
      }
      case "tasks/pause" -> {
        autopilot.control().pause(target, by, reason == null || reason.isBlank() ? "paused from the dashboard" : reason);
        out.put("task", target);
        out.put("paused", true);
        out.put("detail", reason == null ? "" : reason);
      }
      case "tasks/resume" -> {
        autopilot.control().resume(target, by);
        out.put("task", target);
        out.put("paused", false);
      }
      case "jobs/retry" -> {
        if (!target.matches("\\d{1,18}")) {
          throw new HttpError(400, "retry: expected a job-history id, was '" + target + "'");
        }
        String id = autopilot.control().retry(target, by);
        out.put("retried", Long.parseLong(target));
        out.put("executionId", id);
        out.put("detail", id);
      }
      case "jobs/cancel" -> {
        if (!autopilot.control().cancel(target, by)) {
          throw new HttpError(404, "nothing with execution id '" + target + "' is scheduled or running");
        }
        out.put("cancelled", target);
      }
      default -> throw new HttpError(404, "no such action: " + action + " on " + kind);
    }
    return out;
  }
}
