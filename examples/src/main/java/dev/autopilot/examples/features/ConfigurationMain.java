package dev.autopilot.examples.features;

import dev.autopilot.Autopilot;
import dev.autopilot.TaskStatus;
import dev.autopilot.cli.Console;
import dev.autopilot.spi.Task;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * Disabling and re-scheduling tasks by configuration, without touching their code: properties
 * (a file, or {@code -Dautopilot...}), environment variables, or builder calls. Builder calls
 * win over properties, properties over the environment. A disabled task keeps its place in the
 * status view and can still be triggered by hand; {@code none} as schedule stops recurrence.
 */
public final class ConfigurationMain {

  private ConfigurationMain() {}

  /**
   * @param ds the database
   * @param out where to print
   * @return the task statuses under this configuration
   */
  public static List<TaskStatus> run(DataSource ds, PrintStream out) {
    Properties props = new Properties(); // as read from the host's application.properties
    props.setProperty("autopilot.task.nightly-report.schedule", "30 6 * * 1-5");   // weekdays 06:30 UTC
    props.setProperty("autopilot.task.purge-sessions.enabled", "false");           // paused
    Map<String, String> env = Map.of("AUTOPILOT_TASK_WARM_CACHE_SCHEDULE", "@every 10m"); // from the environment
    try (Autopilot ap = Autopilot.builder(ds).builtInTasks(false).discoverProviders(false)
        .environment(env)
        .properties(props)
        .task(Task.java("nightly-report", ctx -> { }).cron("0 2 * * *").build())
        .task(Task.sql("purge-sessions", "SELECT 1").cron("*/5 * * * *").build())
        .task(Task.java("warm-cache", ctx -> { }).cron("0 * * * *").build())
        .task(Task.java("send-digest", ctx -> { }).cron("0 8 * * *").build())
        .schedule("send-digest", "none")                                           // builder: stop recurring
        .build().start()) {
      List<TaskStatus> tasks = ap.monitor().tasks();
      Console.taskTable(out, tasks);
      return tasks;
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
