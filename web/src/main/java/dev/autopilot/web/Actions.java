package dev.autopilot.web;

import dev.autopilot.Autopilot;
import dev.autopilot.TaskStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The actions the dashboard offers, on the Autopilot facade. */
final class Actions {
  private final Autopilot autopilot;
  private final Store store;

  Actions(Autopilot autopilot, Store store) {
    this.autopilot = autopilot;
    this.store = store;
  }

  /** @return the actions offered, by what they act on */
  Map<String, List<String>> available() {
    return Map.of("tasks", List.of("run"), "jobs", List.of());
  }

  boolean supports(String kind, String action) {
    return available().getOrDefault(kind, List.of()).contains(action);
  }

  boolean paused(TaskStatus t) {
    return false;
  }

  /** @return links from a history row to the runs it retried or that retried it */
  Map<String, Object> links(Store.Job j) {
    return Map.of();
  }

  Map<String, Object> run(String kind, String action, String target, String by, String reason) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (kind.equals("tasks") && action.equals("run")) {
      String id = autopilot.trigger(target);
      out.put("task", target);
      out.put("executionId", id);
      out.put("detail", id);
      return out;
    }
    throw new HttpError(404, "no such action: " + action);
  }
}
