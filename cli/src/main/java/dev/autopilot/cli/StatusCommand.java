package dev.autopilot.cli;

import dev.autopilot.Autopilot;
import dev.autopilot.InstanceStatus;
import dev.autopilot.TaskStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** Every task the running hosts have: engine, schedule, enabled, next and last run, outcome. */
@Command(name = "status", description = "every task of the running hosts: engine, schedule, next and last run, outcome")
final class StatusCommand extends BaseCommand {

  @Override
  int execute() {
    try (Autopilot ap = attach()) {
      List<TaskStatus> tasks = ap.monitor().tasks();
      List<InstanceStatus> instances = ap.monitor().instances();
      if (json) {
        List<Object> rows = new ArrayList<>();
        for (TaskStatus t : tasks) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("name", t.name());
          m.put("pack", t.pack());
          m.put("engine", t.engine().label());
          m.put("schedule", t.schedule());
          m.put("enabled", t.enabled());
          m.put("nextRun", t.nextRun());
          m.put("lastRun", t.lastRun());
          m.put("lastOutcome", t.lastOutcome() == null ? null : t.lastOutcome().label());
          m.put("kind", t.kind());
          m.put("startupPriority", t.startupPriority());
          m.put("engineReason", t.engineReason());
          m.put("lastError", t.lastError());
          m.put("description", t.description());
          m.put("instances", instances.stream().filter(InstanceStatus::alive).map(InstanceStatus::name).toList());
          rows.add(m);
        }
        printJson(rows);
        return 0;
      }
      long alive = instances.stream().filter(InstanceStatus::alive).count();
      ctx.out.println(alive + " running host(s)" + (alive == 0 ? " (showing the tasks the last hosts recorded)" : ": "
          + String.join(", ", instances.stream().filter(InstanceStatus::alive).map(InstanceStatus::name).toList())));
      Console.taskTable(ctx.out, tasks);
      return 0;
    }
  }
}
