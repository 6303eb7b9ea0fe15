package dev.autopilot.cli;

import dev.autopilot.Autopilot;
import dev.autopilot.AutopilotException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Cancels a scheduled or running execution. */
@Command(name = "cancel", description = "cancel a scheduled or running execution (exit 1 when none has that id)")
final class CancelCommand extends BaseCommand {

  @Parameters(index = "0", paramLabel = "EXECUTION",
      description = "the execution id from autopilot jobs; TASK:ID when the id alone is ambiguous (TASK:recurring)")
  String execution;

  @Mixin
  Operator operator;

  @Override
  int execute() {
    String by = operator.name(ctx.env);
    try (Autopilot ap = attach()) {
      boolean done;
      try {
        done = ap.control().cancel(execution, by);
      } catch (IllegalArgumentException | AutopilotException e) {
        CliAudit.record(ap, ctx, by, "cancel", execution, "refused", AutopilotCli.firstLine(e.getMessage()));
        throw new UsageException(AutopilotCli.firstLine(e.getMessage()));
      }
      CliAudit.record(ap, ctx, by, "cancel", execution, done ? "done" : "refused",
          done ? null : "nothing scheduled or running has this id");
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("executionId", execution);
        m.put("cancelled", done);
        m.put("by", by);
        printJson(m);
      } else if (done) {
        ctx.out.println("cancelled " + execution + " (a running one stops when its host sees it, within a second)");
      }
      if (!done) {
        throw new Failure("nothing scheduled or running has the execution id '" + execution + "' (autopilot jobs"
            + " --state scheduled,running lists them)");
      }
      return 0;
    }
  }
}
