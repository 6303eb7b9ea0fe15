package dev.autopilot.cli;

import dev.autopilot.Autopilot;
import dev.autopilot.AutopilotException;
import dev.autopilot.JobRecord;
import dev.autopilot.JobState;
import dev.autopilot.UnknownTaskException;
import dev.autopilot.spi.Durations;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Runs a task now on a running host and waits for its outcome. */
@Command(name = "trigger", description = "run a task now (a running host picks it up) and wait for its outcome")
final class TriggerCommand extends BaseCommand {

  @Parameters(index = "0", paramLabel = "TASK", description = "the task's name (autopilot status lists them)")
  String task;

  @ArgGroup(exclusive = true)
  Waiting waiting;

  @Option(names = "--arg", paramLabel = "KEY=VALUE", description = "an argument for the run (repeatable);"
      + " the task reads it through TaskContext.args()")
  java.util.List<String> args = new java.util.ArrayList<>();

  /** --wait and --no-wait exclude each other. */
  static final class Waiting {
    @Option(names = "--wait", paramLabel = "DURATION", description = "how long to wait for the outcome (default 60s)")
    String wait;

    @Option(names = "--no-wait", description = "queue it and return at once")
    boolean noWait;
  }

  @Mixin
  Operator operator;

  @Override
  int execute() {
    Duration wait = Duration.ofSeconds(60);
    if (waiting != null && waiting.noWait) {
      wait = Duration.ZERO;
    } else if (waiting != null && waiting.wait != null) {
      try {
        wait = Durations.parse("--wait", waiting.wait);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--wait: '" + waiting.wait + "' is not a duration (like 30s, 2m)");
      }
    }
    Map<String, String> given = new java.util.LinkedHashMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      if (eq <= 0) {
        throw new UsageException("--arg: '" + a + "' is not KEY=VALUE");
      }
      given.put(a.substring(0, eq).trim(), a.substring(eq + 1));
    }
    String by = operator.name(ctx.env);
    try (Autopilot ap = attach()) {
      String id;
      try {
        id = given.isEmpty() ? ap.trigger(task) : ap.trigger(task, given);
      } catch (UnknownTaskException e) {
        CliAudit.record(ap, ctx, by, "run", task, "refused", "no running host has this task");
        throw new UsageException("no running host has a task '" + task + "' (autopilot status lists every task)");
      } catch (AutopilotException | IllegalArgumentException e) {
        CliAudit.record(ap, ctx, by, "run", task, "refused", AutopilotCli.firstLine(e.getMessage()));
        throw new UsageException(AutopilotCli.firstLine(e.getMessage()));
      }
      CliAudit.record(ap, ctx, by, "run", task, "done", id);
      if (wait.isZero()) {
        if (json) {
          printJson(Map.of("task", task, "executionId", id, "state", "scheduled", "args", given));
        } else {
          ctx.out.println("queued " + task + " as " + id + " (a running host picks it up; see autopilot jobs --task "
              + task + ")");
        }
        return 0;
      }
      if (!json) {
        ctx.out.println("queued " + task + " as " + id + "; waiting up to " + wait.toSeconds() + " s for a host to run it");
      }
      Optional<JobRecord> r = JobWait.awaitFinished(ap, task, id, wait, null);
      if (r.isEmpty()) {
        throw new Failure(task + " (" + id + ") did not finish within " + wait.toSeconds() + " s (it stays queued)");
      }
      JobRecord j = r.get();
      if (json) {
        printJson(JobsCommand.job(j));
      } else {
        ctx.out.println(task + ": " + j.state().label() + j.duration().map(d -> " in " + Console.duration(d)).orElse("")
            + (j.instance() == null ? "" : " on " + j.instance())
            + (j.errorMessage() == null ? "" : ": " + AutopilotCli.firstLine(j.errorMessage())));
      }
      return j.state() == JobState.SUCCEEDED || j.state() == JobState.SKIPPED ? 0 : AutopilotCli.FAILED;
    }
  }
}
