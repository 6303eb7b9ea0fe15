package dev.autopilot.cli;

import dev.autopilot.Autopilot;
import dev.autopilot.AutopilotException;
import dev.autopilot.UnknownTaskException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Re-runs a failed or dead execution, linked to it in history. */
@Command(name = "retry", description = "re-run a failed or dead execution with its arguments, linked to it in history")
final class RetryCommand extends BaseCommand {

  @Parameters(index = "0", paramLabel = "EXECUTION",
      description = "the job-history id (the id column of autopilot jobs --json) or the execution id")
  String execution;

  @Mixin
  Operator operator;

  @Override
  int execute() {
    String by = operator.name(ctx.env);
    try (Autopilot ap = attach()) {
      String id;
      try {
        id = ap.control().retry(execution, by);
      } catch (UnknownTaskException e) {
        CliAudit.record(ap, ctx, by, "retry", execution, "refused", "no running host has its task");
        throw new UsageException("no running host has the task of execution '" + execution + "'");
      } catch (IllegalArgumentException | AutopilotException e) {
        CliAudit.record(ap, ctx, by, "retry", execution, "refused", AutopilotCli.firstLine(e.getMessage()));
        throw new UsageException(AutopilotCli.firstLine(e.getMessage()));
      }
      CliAudit.record(ap, ctx, by, "retry", execution, "done", id);
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("retryOf", execution);
        m.put("executionId", id);
        m.put("by", by);
        printJson(m);
      } else {
        ctx.out.println("re-running " + execution + " as " + id + " (autopilot jobs shows its outcome)");
      }
      return 0;
    }
  }
}
