package dev.autopilot.cli;

import dev.autopilot.Autopilot;
import dev.autopilot.UnknownTaskException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Resumes a paused task on every instance. */
@Command(name = "resume", description = "resume a paused task on every host (it runs again from its next slot)")
final class ResumeCommand extends BaseCommand {

  @Parameters(index = "0", paramLabel = "TASK", description = "the task's name")
  String task;

  @Mixin
  Operator operator;

  @Override
  int execute() {
    String by = operator.name(ctx.env);
    try (Autopilot ap = attach()) {
      boolean was;
      try {
        was = ap.control().pauses().stream().anyMatch(p -> p.task().equals(task));
        ap.control().resume(task, by);
      } catch (UnknownTaskException e) {
        CliAudit.record(ap, ctx, by, "resume", task, "refused", "unknown task");
        throw new UsageException("unknown task '" + task + "' (autopilot status lists every task)");
      }
      CliAudit.record(ap, ctx, by, "resume", task, "done", was ? null : "was not paused");
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("task", task);
        m.put("paused", false);
        m.put("wasPaused", was);
        m.put("by", by);
        printJson(m);
      } else {
        ctx.out.println(was ? "resumed " + task + " (by " + by + ")" : task + " was not paused");
      }
      return 0;
    }
  }
}
