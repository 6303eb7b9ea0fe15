package dev.autopilot.cli;

import dev.autopilot.Autopilot;
import dev.autopilot.UnknownTaskException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Pauses a task on every instance (its pg_cron job inactive) until resumed. */
@Command(name = "pause", description = "pause a task on every host (runs that fall due are skipped; pg_cron job inactive)")
final class PauseCommand extends BaseCommand {

  @Parameters(index = "0", paramLabel = "TASK", description = "the task's name (autopilot status lists them)")
  String task;

  @Option(names = "--reason", paramLabel = "TEXT", description = "why, recorded with the pause")
  String reason;

  @Mixin
  Operator operator;

  @Override
  int execute() {
    String by = operator.name(ctx.env);
    try (Autopilot ap = attach()) {
      try {
        ap.control().pause(task, by, reason);
      } catch (UnknownTaskException e) {
        CliAudit.record(ap, ctx, by, "pause", task, "refused", "unknown task");
        throw new UsageException("unknown task '" + task + "' (autopilot status lists every task)");
      }
      CliAudit.record(ap, ctx, by, "pause", task, "done", reason);
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("task", task);
        m.put("paused", true);
        m.put("by", by);
        m.put("reason", reason);
        printJson(m);
      } else {
        ctx.out.println("paused " + task + " (by " + by + (reason == null ? "" : ": " + reason)
            + "); autopilot resume " + task + " undoes it");
      }
      return 0;
    }
  }
}
