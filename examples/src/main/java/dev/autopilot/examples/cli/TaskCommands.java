package dev.autopilot.examples.cli;

import dev.autopilot.Autopilot;
import dev.autopilot.SearchHit;
import dev.autopilot.JobQuery;
import dev.autopilot.JobRecord;
import dev.autopilot.JobState;
import dev.autopilot.TaskStatus;
import dev.autopilot.UnknownTaskException;
import dev.autopilot.examples.Console;
import dev.autopilot.examples.JobWait;
import dev.autopilot.spi.Durations;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code status}, {@code jobs}, {@code trigger} and {@code search}: through the Autopilot API. */
final class TaskCommands {

  static final String STATUS_USAGE = "usage: autopilot status [--json]";
  static final String JOBS_USAGE = "usage: autopilot jobs [--state S,...] [--task T] [--limit N] [--json]"
      + "   (states: scheduled running succeeded skipped retrying failed dead)";
  static final String TRIGGER_USAGE = "usage: autopilot trigger TASK [--wait 60s | --no-wait] [--json]";
  static final String SEARCH_USAGE = "usage: autopilot search \"QUERY\" [--limit N] [--json]";

  private final AutopilotCli cli;
  private final PrintStream out;

  TaskCommands(AutopilotCli cli) {
    this.cli = cli;
    this.out = cli.out();
  }

  int run(String command, Args args) {
    switch (command) {
      case "status":
        args.allow(command, Set.of(), STATUS_USAGE);
        positional(args, 0, STATUS_USAGE);
        try (Autopilot ap = cli.attach()) {
          return status(ap);
        }
      case "jobs":
        args.allow(command, Set.of("--state", "--task", "--limit"), JOBS_USAGE);
        positional(args, 0, JOBS_USAGE);
        JobQuery q = jobQuery(args);
        try (Autopilot ap = cli.attach()) {
          return jobs(ap, q, args.option("--task"));
        }
      case "trigger":
        args.allow(command, Set.of("--wait", "--no-wait"), TRIGGER_USAGE);
        positional(args, 1, TRIGGER_USAGE);
        Duration wait = args.flag("--no-wait") ? Duration.ZERO : duration(args.option("--wait"), TRIGGER_USAGE);
        try (Autopilot ap = cli.attach()) {
          return trigger(ap, args.positional.get(1), wait);
        }
      default:
        args.allow(command, Set.of("--limit"), SEARCH_USAGE);
        positional(args, 1, SEARCH_USAGE);
        int k = args.intOption("--limit", 5, 1, 100, SEARCH_USAGE);
        try (Autopilot ap = cli.attach()) {
          return search(ap, args.positional.get(1), k);
        }
    }
  }

  private static void positional(Args args, int expected, String usage) {
    int got = args.positional.size() - 1;
    if (got < expected) {
      throw new UsageException("missing argument", usage);
    }
    if (got > expected) {
      throw new UsageException("unexpected argument '" + args.positional.get(expected + 1) + "'", usage);
    }
  }

  private static Duration duration(String value, String usage) {
    if (value == null) {
      return Duration.ofSeconds(60);
    }
    try {
      return Durations.parse("--wait", value);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--wait: '" + value + "' is not a duration (like 30s, 2m)", usage);
    }
  }

  private int status(Autopilot ap) {
    List<TaskStatus> tasks = ap.monitor().tasks();
    if (cli.json()) {
      List<Object> rows = new ArrayList<>();
      for (TaskStatus t : tasks) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
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
        rows.add(m);
      }
      out.println(Json.write(rows));
    } else {
      Console.taskTable(out, tasks);
    }
    return 0;
  }

  private static JobQuery jobQuery(Args args) {
    JobQuery q = JobQuery.all().limit(args.intOption("--limit", 20, 1, JobQuery.MAX_LIMIT, JOBS_USAGE));
    String states = args.option("--state");
    if (states != null) {
      EnumSet<JobState> set = EnumSet.noneOf(JobState.class);
      for (String s : states.split(",")) {
        try {
          set.add(JobState.fromLabel(s));
        } catch (IllegalArgumentException e) {
          throw new UsageException("unknown state '" + s.trim() + "'", JOBS_USAGE);
        }
      }
      JobState first = set.iterator().next();
      set.remove(first);
      q = q.states(first, set.toArray(new JobState[0]));
    }
    if (args.option("--task") != null) {
      q = q.task(args.option("--task"));
    }
    return q;
  }

  private int jobs(Autopilot ap, JobQuery q, String task) {
    if (task != null && ap.monitor().task(task).isEmpty()) {
      throw new UsageException("unknown task '" + task + "' (./autopilot status lists every task)");
    }
    List<JobRecord> jobs = ap.monitor().jobs(q);
    if (cli.json()) {
      List<Object> rows = new ArrayList<>();
      jobs.forEach(j -> rows.add(job(j)));
      out.println(Json.write(rows));
      return 0;
    }
    List<List<String>> rows = new ArrayList<>();
    for (JobRecord j : jobs) {
      rows.add(List.of(Console.time(j.finishedAt() != null ? j.finishedAt() : j.scheduledAt()), j.task(),
          j.state().label(), String.valueOf(j.attempt()), j.duration().map(Console::duration).orElse("-"),
          j.engine().label(), j.executionId(), j.errorMessage() == null ? "-" : AutopilotCli.firstLine(j.errorMessage())));
    }
    Console.table(out, List.of("FINISHED/DUE", "TASK", "STATE", "ATTEMPT", "TOOK", "ENGINE", "EXECUTION", "ERROR"), rows);
    if (jobs.isEmpty()) {
      out.println("(no jobs)");
    }
    return 0;
  }

  private static Map<String, Object> job(JobRecord j) {
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

  private int trigger(Autopilot ap, String task, Duration wait) {
    String id;
    try {
      id = ap.trigger(task);
    } catch (UnknownTaskException e) {
      throw AutopilotCli.unknownTask(e, task);
    }
    if (wait.isZero()) {
      if (cli.json()) {
        out.println(Json.write(Map.of("task", task, "executionId", id, "state", "scheduled")));
      } else {
        out.println("queued " + task + " as " + id + " (a running host picks it up; see ./autopilot jobs --task " + task + ")");
      }
      return 0;
    }
    if (!cli.json()) {
      out.println("queued " + task + " as " + id + "; waiting up to " + wait.toSeconds() + " s for a host to run it");
    }
    Optional<JobRecord> r = JobWait.awaitFinished(ap, task, id, wait, null);
    if (r.isEmpty()) {
      throw new AutopilotCli.Failure(task + " (" + id + ") did not finish within " + wait.toSeconds()
          + " s (it stays queued): is a host application running on this database? (./autopilot demo runs one)");
    }
    JobRecord j = r.get();
    if (cli.json()) {
      out.println(Json.write(job(j)));
    } else {
      out.println(task + ": " + j.state().label() + j.duration().map(d -> " in " + Console.duration(d)).orElse("")
          + (j.instance() == null ? "" : " on " + j.instance())
          + (j.errorMessage() == null ? "" : ": " + AutopilotCli.firstLine(j.errorMessage())));
    }
    return j.state() == JobState.SUCCEEDED || j.state() == JobState.SKIPPED ? 0 : 1;
  }

  private int search(Autopilot ap, String query, int k) {
    List<SearchHit> hits = ap.search(query, k);
    if (cli.json()) {
      List<Object> rows = new ArrayList<>();
      for (SearchHit h : hits) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("codebase", h.codebase());
        row.put("path", h.path());
        row.put("startLine", h.startLine());
        row.put("endLine", h.endLine());
        row.put("symbol", h.symbol());
        row.put("score", h.score());
        rows.add(row);
      }
      out.println(Json.write(rows));
    } else if (hits.isEmpty()) {
      out.println("(no hits)");
    } else {
      for (int i = 0; i < hits.size(); i++) {
        out.println((i + 1) + ". " + Console.hit(hits.get(i)));
      }
    }
    return 0;
  }
}
