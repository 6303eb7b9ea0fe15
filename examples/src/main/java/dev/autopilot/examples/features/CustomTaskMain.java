package dev.autopilot.examples.features;

import dev.autopilot.cli.JobWait;
import dev.autopilot.Autopilot;
import dev.autopilot.JobQuery;
import dev.autopilot.JobRecord;
import dev.autopilot.spi.RetryPolicy;
import dev.autopilot.spi.Task;
import dev.autopilot.spi.TaskContext;
import dev.autopilot.spi.TaskProvider;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;

/**
 * A custom task through the SPI: a {@link TaskProvider} contributes a Java task (with a cron
 * schedule, retries, watermark state and progress) and a SQL task. A provider is registered
 * explicitly here; listing it in {@code META-INF/services/dev.autopilot.spi.TaskProvider} makes
 * Autopilot discover it instead.
 */
public final class CustomTaskMain {

  /** The example's provider: what a library or host module ships. */
  public static final class GreetingsProvider implements TaskProvider {
    @Override
    public String name() {
      return "greetings";
    }

    @Override
    public List<Task> tasks() {
      return List.of(
          Task.java("greet-new-users", GreetingsProvider::greet)
              .cron("*/5 * * * *")
              .retry(RetryPolicy.exponential(3, Duration.ofSeconds(10)))
              .description("Greets users who signed up since the last run")
              .build(),
          Task.sql("forget-old-greetings", "DELETE FROM public.greetings WHERE sent_at < now() - interval '30 days'")
              .cron("0 4 * * *")
              .description("Deletes greetings older than 30 days")
              .build());
    }

    /** Idempotent: the watermark moves only after the greetings are written. */
    static void greet(TaskContext ctx) throws Exception {
      long since = Long.parseLong(ctx.state().get("last-user-id").orElse("0"));
      long last = since;
      try (Connection c = ctx.dataSource().getConnection();
           PreparedStatement ps = c.prepareStatement("INSERT INTO public.greetings (user_id, text)"
               + " SELECT id, 'Welcome, ' || name FROM public.users WHERE id > ? ORDER BY id"
               + " ON CONFLICT (user_id) DO NOTHING RETURNING user_id")) {
        ps.setLong(1, since);
        try (var rs = ps.executeQuery()) {
          while (rs.next()) {
            last = Math.max(last, rs.getLong(1));
          }
        }
      }
      ctx.progress(1, 1, "greeted users after id " + since);
      ctx.state().put("last-user-id", String.valueOf(last));
    }
  }

  private CustomTaskMain() {}

  /**
   * @param ds the database
   * @param out where to print
   * @return how many greetings exist afterwards
   * @throws Exception when the example tables cannot be created
   */
  public static int run(DataSource ds, PrintStream out) throws Exception {
    try (Connection c = ds.getConnection(); var s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS public.users (id bigint PRIMARY KEY, name text NOT NULL)");
      s.execute("CREATE TABLE IF NOT EXISTS public.greetings (user_id bigint PRIMARY KEY, text text NOT NULL,"
          + " sent_at timestamptz NOT NULL DEFAULT now())");
      s.execute("INSERT INTO public.users VALUES (1, 'Ada'), (2, 'Grace') ON CONFLICT DO NOTHING");
    }
    try (Autopilot ap = Autopilot.builder(ds).builtInTasks(false).discoverProviders(false)
        .taskProvider(new GreetingsProvider()).pollingInterval(Duration.ofMillis(200)).build().start()) {
      String id = ap.trigger("greet-new-users");
      JobRecord r = waitFor(ap, "greet-new-users", id);
      out.println("greet-new-users: " + r.state().label() + " (" + r.engine().label() + ")");
      ap.monitor().tasks().forEach(t -> out.println("  " + t.name() + "  " + t.engine().label() + "  " + t.schedule()));
    }
    try (Connection c = ds.getConnection(); var s = c.createStatement();
         var rs = s.executeQuery("SELECT count(*) FROM public.greetings")) {
      rs.next();
      out.println("greetings: " + rs.getInt(1));
      return rs.getInt(1);
    }
  }

  static JobRecord waitFor(Autopilot ap, String task, String executionId) {
    return dev.autopilot.cli.JobWait.awaitFinished(ap, task, executionId, Duration.ofSeconds(60), null)
        .orElseThrow(() -> new IllegalStateException(task + " did not finish in 60 s"));
  }

  /**
   * @param args optional {@code --jdbc-url URL}
   * @throws Exception when the example fails
   */
  public static void main(String[] args) throws Exception {
    try (ExampleDatabase db = ExampleDatabase.open(args)) {
      run(db.dataSource(), System.out);
    }
  }

  static List<JobRecord> history(Autopilot ap, String task) {
    return ap.monitor().jobs(JobQuery.all().task(task));
  }
}
