package dev.autopilot.examples.features;

import dev.autopilot.Autopilot;
import dev.autopilot.Health;
import dev.autopilot.JobQuery;
import dev.autopilot.JobRecord;
import dev.autopilot.JobState;
import dev.autopilot.cli.Console;
import dev.autopilot.spi.RetryPolicy;
import dev.autopilot.spi.Task;
import dev.autopilot.spi.Trigger;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/**
 * Monitoring queries: {@code monitor().tasks()} (engine, schedule, next and last run of every
 * task), {@code jobs(JobQuery)} by state, task and time, and {@code health()}.
 */
public final class MonitoringMain {

  private MonitoringMain() {}

  /**
   * @param ds the database
   * @param out where to print
   * @return the health after a good and a failing task ran
   */
  public static Health run(DataSource ds, PrintStream out) {
    Instant start = Instant.now();
    try (Autopilot ap = Autopilot.builder(ds).builtInTasks(false).discoverProviders(false)
        .pollingInterval(Duration.ofMillis(100))
        .task(Task.java("refresh-prices", ctx -> { }).cron("*/15 * * * *").build())
        .task(Task.java("sync-partner-feed", ctx -> {
          throw new IllegalStateException("partner API returned 503");
        }).trigger(Trigger.manual()).retry(RetryPolicy.none()).build())
        .build().start()) {
      CustomTaskMain.waitFor(ap, "refresh-prices", ap.trigger("refresh-prices"));
      CustomTaskMain.waitFor(ap, "sync-partner-feed", ap.trigger("sync-partner-feed"));
      ap.flushHistory(Duration.ofSeconds(5));

      out.println("every task:");
      Console.taskTable(out, ap.monitor().tasks());

      out.println("failed jobs since start:");
      List<JobRecord> failed = ap.monitor().jobs(JobQuery.all().states(JobState.FAILED, JobState.DEAD).since(start));
      failed.forEach(j -> out.println("  " + j.task() + " " + j.executionId() + ": " + j.errorClass() + ": " + j.errorMessage()));

      out.println("what is scheduled next:");
      ap.monitor().jobs(JobQuery.all().states(JobState.SCHEDULED).oldestFirst().limit(5))
          .forEach(j -> out.println("  " + j.task() + " at " + Console.time(j.scheduledAt())));

      Health h = ap.monitor().health();
      out.println("health: alive=" + h.alive() + ", schema v" + h.schemaVersion() + ", pg_cron used=" + h.pgCronUsable()
          + " (" + h.pgCronReason() + "), failing=" + h.failingTasks());
      return h;
    }
  }

  /**
   * @param args optional {@code --jdbc-url URL}
   */
  public static void main(String[] args) {
    try (ExampleDatabase db = ExampleDatabase.open(args)) {
      run(db.dataSource(), System.out);
    }
  }
}
