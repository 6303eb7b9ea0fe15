package dev.autopilot.examples.features;

import dev.autopilot.Autopilot;
import dev.autopilot.Control;
import dev.autopilot.JobQuery;
import dev.autopilot.JobRecord;
import dev.autopilot.JobState;
import dev.autopilot.spi.RetryPolicy;
import dev.autopilot.spi.Task;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Operating tasks while they run ({@link Autopilot#control()}): a run triggered with arguments,
 * a long run cancelled while it works, a failed run re-run with {@link Control#retry}, and a
 * recurring task paused and resumed.
 */
public final class ControlMain {

  private ControlMain() {}

  /**
   * @param ds the database
   * @param out where to print
   * @return the final job states of: the backup with arguments, the cancelled run, the re-run
   */
  public static List<JobState> run(DataSource ds, PrintStream out) {
    AtomicInteger exports = new AtomicInteger();
    try (Autopilot ap = Autopilot.builder(ds).builtInTasks(false).discoverProviders(false)
        .pollingInterval(Duration.ofMillis(200))
        .task(Task.java("manual-backup", ctx -> out.println("  backing up, type " + ctx.args().get("type"))).build())
        .task(Task.java("long-report", ctx -> {
          while (!ctx.isCancelled()) {
            try {
              Thread.sleep(50);
            } catch (InterruptedException e) {
              out.println("  long-report interrupted: cancelled = " + ctx.isCancelled());
            }
          }
        }).timeout(Duration.ofMinutes(5)).build())
        .task(Task.java("export", ctx -> {
          if (exports.incrementAndGet() == 1) {
            throw new IllegalStateException("export target offline");
          }
        }).retry(RetryPolicy.none()).build())
        .task(Task.java("heartbeat", ctx -> { }).cron("@every 1s").build())
        .build().start()) {
      Control control = ap.control();

      String backup = ap.trigger("manual-backup", Map.of("type", "hourly"));
      JobRecord b = CustomTaskMain.waitFor(ap, "manual-backup", backup);
      out.println("manual-backup: " + b.state().label() + " with args " + b.args());

      String report = ap.trigger("long-report");
      waitRunning(ap, report);
      out.println("cancel long-report: " + control.cancel(report, "example"));
      JobRecord r = CustomTaskMain.waitFor(ap, "long-report", report);
      out.println("long-report: " + r.state().label() + " (" + r.errorMessage() + ")");

      String export = ap.trigger("export");
      JobRecord failed = CustomTaskMain.waitFor(ap, "export", export);
      out.println("export: " + failed.state().label() + " (" + failed.errorMessage() + ")");
      String again = control.retry(export, "example");
      JobRecord rerun = CustomTaskMain.waitFor(ap, "export", again);
      out.println("export re-run " + again + ": " + rerun.state().label() + ", retry of " + rerun.retryOf());

      control.pause("heartbeat", "example", "maintenance window");
      out.println("paused: " + control.pauses());
      out.println("heartbeat paused in status: " + ap.monitor().task("heartbeat").orElseThrow().paused());
      control.resume("heartbeat", "example");
      out.println("heartbeat paused after resume: " + ap.monitor().task("heartbeat").orElseThrow().paused());
      return List.of(b.state(), r.state(), rerun.state());
    }
  }

  private static void waitRunning(Autopilot ap, String id) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (ap.monitor().jobs(JobQuery.all().states(JobState.RUNNING)).stream().noneMatch(j -> j.executionId().equals(id))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(id + " did not start in 60 s");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
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
