package dev.autopilot.examples.features;

import dev.autopilot.Autopilot;
import dev.autopilot.JobQuery;
import dev.autopilot.JobRecord;
import dev.autopilot.spi.RetryPolicy;
import dev.autopilot.spi.Task;
import dev.autopilot.spi.Trigger;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Manual triggers: a task with {@link Trigger#manual()} runs only when triggered; any task can be
 * triggered now with {@link Autopilot#trigger(String)}, which returns the execution id found in
 * job history. A failing attempt is retried by the task's policy, each attempt a history row.
 */
public final class ManualTriggerMain {

  private ManualTriggerMain() {}

  /**
   * @param ds the database
   * @param out where to print
   * @return the history rows of the flaky task's triggered run, oldest first
   */
  public static List<JobRecord> run(DataSource ds, PrintStream out) {
    AtomicInteger calls = new AtomicInteger();
    try (Autopilot ap = Autopilot.builder(ds).builtInTasks(false).discoverProviders(false)
        .pollingInterval(Duration.ofMillis(100))
        .task(Task.java("rebuild-search-index", ctx -> out.println("  rebuilding (execution " + ctx.executionId() + ")"))
            .trigger(Trigger.manual()).description("Only on request").build())
        .task(Task.java("flaky-export", ctx -> {
          if (calls.incrementAndGet() < 3) {
            throw new IllegalStateException("export target busy (call " + calls.get() + ")");
          }
        }).trigger(Trigger.manual()).retry(RetryPolicy.exponential(5, Duration.ofMillis(200))).build())
        .build().start()) {
      String id = ap.trigger("rebuild-search-index");
      out.println("rebuild-search-index: " + CustomTaskMain.waitFor(ap, "rebuild-search-index", id).state().label());
      String flaky = ap.trigger("flaky-export");
      JobRecord last = CustomTaskMain.waitFor(ap, "flaky-export", flaky);
      ap.flushHistory(Duration.ofSeconds(5));
      List<JobRecord> attempts = ap.monitor().jobs(JobQuery.all().task("flaky-export").oldestFirst());
      for (JobRecord r : attempts) {
        out.println("flaky-export attempt " + r.attempt() + ": " + r.state().label()
            + (r.errorMessage() == null ? "" : " (" + r.errorMessage() + ")"));
      }
      out.println("flaky-export finally: " + last.state().label());
      return attempts;
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
