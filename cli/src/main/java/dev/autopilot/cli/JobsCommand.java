package dev.autopilot.cli;

import dev.autopilot.Autopilot;
import dev.autopilot.JobQuery;
import dev.autopilot.JobRecord;
import dev.autopilot.JobState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Scheduled and running jobs, and finished ones from job history, newest first. */
@Command(name = "jobs", description = "jobs, newest first: scheduled, running, and finished ones from job history")
final class JobsCommand extends BaseCommand {

  @Option(names = "--state", split = ",", paramLabel = "STATE",
      description = "only these states: scheduled, running, succeeded, skipped, retrying, failed, dead")
  List<String> states;

  @Option(names = "--task", paramLabel = "NAME", description = "only this task")
  String task;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "at most N jobs (default 20)")
  int limit;

  @Override
  int execute() {
    if (limit < 1 || limit > JobQuery.MAX_LIMIT) {
      throw new UsageException("--limit must be between 1 and " + JobQuery.MAX_LIMIT + ", was " + limit);
    }
    JobQuery q = JobQuery.all().limit(limit);
    if (states != null && !states.isEmpty()) {
      EnumSet<JobState> set = EnumSet.noneOf(JobState.class);
      for (String s : states) {
        try {
          set.add(JobState.fromLabel(s.trim()));
        } catch (IllegalArgumentException e) {
          throw new UsageException("--state: unknown state '" + s.trim() + "'");
        }
      }
      JobState first = set.iterator().next();
      set.remove(first);
      q = q.states(first, set.toArray(new JobState[0]));
    }
    if (task != null) {
      q = q.task(task);
    }
    try (Autopilot ap = attach()) {
      if (task != null && ap.monitor().task(task).isEmpty()) {
        throw new UsageException("unknown task '" + task + "' (autopilot status lists every task)");
      }
      List<JobRecord> jobs = ap.monitor().jobs(q);
      if (json) {
        List<Object> rows = new ArrayList<>();
        jobs.forEach(j -> rows.add(job(j)));
        printJson(rows);
        return 0;
      }
      List<List<String>> rows = new ArrayList<>();
      for (JobRecord j : jobs) {
        rows.add(List.of(Console.time(j.finishedAt() != null ? j.finishedAt() : j.scheduledAt()), j.task(),
            j.state().label(), String.valueOf(j.attempt()), j.duration().map(Console::duration).orElse("-"),
            j.engine().label(), j.executionId(), j.errorMessage() == null ? "-" : AutopilotCli.firstLine(j.errorMessage())));
      }
      Console.table(ctx.out, List.of("FINISHED/DUE", "TASK", "STATE", "ATTEMPT", "TOOK", "ENGINE", "EXECUTION", "ERROR"),
          rows);
      if (jobs.isEmpty()) {
        ctx.out.println("(no jobs)");
      }
      return 0;
    }
  }

  static Map<String, Object> job(JobRecord j) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", j.id());
    m.put("task", j.task());
    m.put("executionId", j.executionId());
    m.put("engine", j.engine().label());
    m.put("state", j.state().label());
    m.put("attempt", j.attempt());
    m.put("instance", j.instance());
    m.put("scheduledAt", j.scheduledAt());
    m.put("startedAt", j.startedAt());
    m.put("finishedAt", j.finishedAt());
    m.put("durationMs", j.duration().map(Duration::toMillis).orElse(null));
    m.put("errorClass", j.errorClass());
    m.put("errorMessage", j.errorMessage());
    return m;
  }
}
