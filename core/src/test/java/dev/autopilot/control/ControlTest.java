package dev.autopilot.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.autopilot.Autopilot;
import dev.autopilot.AutopilotException;
import dev.autopilot.Await;
import dev.autopilot.Engine;
import dev.autopilot.JobQuery;
import dev.autopilot.JobRecord;
import dev.autopilot.JobState;
import dev.autopilot.Pause;
import dev.autopilot.TaskStatus;
import dev.autopilot.internal.Jdbc;
import dev.autopilot.spi.RetryPolicy;
import dev.autopilot.spi.Task;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue 12's proofs on a real cluster: pause/resume, cancel, retry, timeouts, concurrency, arguments, bulk. */
@ExtendWith(PostgresExtension.class)
class ControlTest {

  private static Autopilot.Builder builder(DataSource ds, String schema, String instance) {
    return Autopilot.builder(ds).schema(schema).environment(Map.of()).discoverProviders(false).builtInTasks(false)
        .instanceName(instance).pollingInterval(Duration.ofMillis(200)).threads(3);
  }

  private static long count(TestDatabase db, String sql) {
    return new Jdbc(db.dataSource()).queryOne(sql, Jdbc.NONE, rs -> rs.getLong(1)).orElseThrow();
  }

  private static void exec(TestDatabase db, String sql) throws Exception {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** Inserts (task, execution, instance) into public.<table>. */
  private static Task recorder(String name, String table) {
    return Task.java(name, ctx -> {
      try (Connection c = ctx.dataSource().getConnection();
          PreparedStatement ps = c.prepareStatement("INSERT INTO public." + table + "(execution_id, instance) VALUES (?, ?)")) {
        ps.setString(1, ctx.executionId());
        ps.setString(2, ctx.config().get("instance-tag", "?"));
        ps.executeUpdate();
      }
    }).cron("@every 1s").retry(RetryPolicy.none()).build();
  }

  @Test
  void pauseOnOneInstanceStopsRunsOnAnotherSetsTheCronJobInactiveAndSurvivesRestart(TestDatabase db) throws Exception {
    exec(db, "CREATE TABLE public.ticks(execution_id text, instance text, at timestamptz DEFAULT clock_timestamp())");
    boolean cron = db.pgCronAvailable();
    Task sqlTask = Task.sql("sql-minutely", "SELECT 1").cron("* * * * *").build();
    String schema = "paused";
    java.util.function.Function<String, Autopilot.Builder> b = name -> builder(db.newDataSource(8), schema, name)
        .property("autopilot.instance-tag", name).task(recorder("ticker", "ticks")).task(sqlTask);
    Autopilot a = b.apply("a").build().start();
    Autopilot bInst = b.apply("b").build().start();
    try {
      Await.until(Duration.ofSeconds(20), "ticks before the pause", () -> count(db, "SELECT count(*) FROM public.ticks") >= 2);
      if (cron) {
        assertEquals(Engine.PG_CRON, a.monitor().task("sql-minutely").orElseThrow().engine());
        assertEquals(true, cronActive(db, "sql-minutely"));
      }
      a.control().pause("ticker", "alice", "investigating");
      a.control().pause("sql-minutely", "alice", null);
      List<Pause> pauses = bInst.control().pauses();
      assertEquals(2, pauses.size());
      Pause p = pauses.stream().filter(x -> x.task().equals("ticker")).findFirst().orElseThrow();
      assertEquals("alice", p.by());
      assertEquals("investigating", p.reason());
      assertNotNull(p.at());
      if (cron) {
        assertEquals(false, cronActive(db, "sql-minutely"), "pg_cron job inactive while paused");
      }
      TaskStatus st = bInst.monitor().task("ticker").orElseThrow();
      assertTrue(st.paused());
      assertTrue(st.enabled());
      assertNull(st.nextRun(), "a paused task has no next run");

      Thread.sleep(1500); // runs already started when the pause landed may finish
      long before = count(db, "SELECT count(*) FROM public.ticks");
      Await.until(Duration.ofSeconds(20), "due runs recorded skipped: paused",
          () -> count(db, "SELECT count(*) FROM paused.job_history WHERE task_name = 'ticker' AND outcome = 'skipped'"
              + " AND error_message = 'paused'") >= 3);
      assertEquals(before, count(db, "SELECT count(*) FROM public.ticks"), "no run of a paused task started on a or b");
      assertTrue(count(db, "SELECT count(DISTINCT instance) FROM paused.job_history WHERE task_name = 'ticker'"
          + " AND error_message = 'paused'") >= 1);

      // a restart keeps the pause, on db-scheduler and in cron.job
      bInst.close();
      a.close();
      Autopilot restarted = b.apply("a").build().start();
      a = restarted;
      Thread.sleep(2500);
      assertEquals(before, count(db, "SELECT count(*) FROM public.ticks"), "still paused after a restart");
      assertTrue(a.monitor().task("ticker").orElseThrow().paused());
      if (cron) {
        assertEquals(false, cronActive(db, "sql-minutely"), "reconcile at start keeps the paused job inactive");
      }

      a.control().resume("ticker", "bob");
      a.control().resume("sql-minutely", "bob");
      Await.until(Duration.ofSeconds(20), "ticks after resume", () -> count(db, "SELECT count(*) FROM public.ticks") >= before + 2);
      assertFalse(a.monitor().task("ticker").orElseThrow().paused());
      assertTrue(a.control().pauses().isEmpty());
      if (cron) {
        assertEquals(true, cronActive(db, "sql-minutely"), "resume makes the job active again");
      }
      assertThrows(dev.autopilot.UnknownTaskException.class, () -> restarted.control().pause("no-such-task", "x", null));
    } finally {
      bInst.close();
      a.close();
    }
  }

  private static Boolean cronActive(TestDatabase db, String task) throws Exception {
    try (Connection c = db.cluster().orElseThrow().connect("postgres")) {
      List<Boolean> v = Jdbc.query(c, "SELECT active FROM cron.job WHERE database = ? AND jobname LIKE ?", ps -> {
        ps.setString(1, db.name());
        ps.setString(2, "autopilot:%:" + task);
      }, rs -> rs.getBoolean(1));
      return v.isEmpty() ? null : v.get(0);
    }
  }

  @Test
  void enabledFalseStaysStrongerThanResume(TestDatabase db) throws Exception {
    exec(db, "CREATE TABLE public.off_ticks(execution_id text, instance text)");
    try (Autopilot a = builder(db.newDataSource(6), "disabled", "a").task(recorder("off", "off_ticks"))
        .enabled("off", false).build().start()) {
      a.control().pause("off", "alice", null);
      a.control().resume("off", "alice");
      Thread.sleep(2500);
      assertEquals(0, count(db, "SELECT count(*) FROM public.off_ticks"), "disabled by configuration: resume does not run it");
      TaskStatus st = a.monitor().task("off").orElseThrow();
      assertFalse(st.enabled());
      assertFalse(st.paused());
    }
  }

  @Test
  void cancellingAQueuedRunMeansItNeverStarts(TestDatabase db) throws Exception {
    exec(db, "CREATE TABLE public.q_runs(execution_id text, instance text)");
    Task t = Task.java("queued", ctx -> {
      try (Connection c = ctx.dataSource().getConnection(); Statement s = c.createStatement()) {
        s.execute("INSERT INTO public.q_runs VALUES ('" + ctx.executionId() + "', 'x')");
      }
    }).build();
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch blocking = new java.util.concurrent.CountDownLatch(1);
    Task blocker = Task.java("blocker", ctx -> {
      blocking.countDown();
      release.await();
    }).build();
    DataSource ds = db.newDataSource(6);
    // one executor thread, held by the blocker: triggered runs wait in the queue
    try (Autopilot host = builder(ds, "queue", "host").task(t).task(blocker).threads(1).build().start();
        Autopilot client = builder(db.newDataSource(2), "queue", "cli").task(t).task(blocker).build().attach()) {
      host.trigger("blocker");
      assertTrue(blocking.await(20, java.util.concurrent.TimeUnit.SECONDS));
      String id = client.trigger("queued");
      String kept = client.trigger("queued");
      assertEquals(JobState.SCHEDULED, client.monitor().jobs(JobQuery.all().task("queued")).stream()
          .filter(r -> r.executionId().equals(id)).findFirst().orElseThrow().state());
      assertTrue(client.control().cancel(id, "alice"), "a queued run is cancelled");
      assertFalse(client.control().cancel(id, "alice"), "nothing left to cancel");
      assertFalse(client.control().cancel("manual-none", "alice"));
      release.countDown();
      Await.until(Duration.ofSeconds(20), "the other run", () -> count(db, "SELECT count(*) FROM public.q_runs") == 1);
      Thread.sleep(500);
      assertEquals(0, count(db, "SELECT count(*) FROM public.q_runs WHERE execution_id = '" + id + "'"), "never started");
      assertEquals(1, count(db, "SELECT count(*) FROM public.q_runs WHERE execution_id = '" + kept + "'"));
      host.flushHistory(Duration.ofSeconds(5));
      JobRecord r = host.monitor().jobs(JobQuery.all().task("queued").states(JobState.CANCELLED)).get(0);
      assertEquals(id, r.executionId());
      assertTrue(r.errorMessage().contains("alice"), r.errorMessage());
    } finally {
      release.countDown();
    }
  }

  @Test
  void cancellingARunningJavaTaskEndsItCancelledAndALongSqlStatementIsCancelledInTheDatabase(TestDatabase db)
      throws Exception {
    AtomicInteger loops = new AtomicInteger();
    Task jt = Task.java("long-java", ctx -> {
      while (!ctx.isCancelled()) {
        loops.incrementAndGet();
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          // cancellation interrupts too; the loop condition decides
        }
      }
    }).retry(RetryPolicy.none()).build();
    Task sql = Task.sql("long-sql", "SELECT pg_sleep(120)").retry(RetryPolicy.none()).build();
    DataSource ds = db.newDataSource(8);
    try (Autopilot host = builder(ds, "cancels", "host").task(jt).task(sql).property("autopilot.pg-cron", "off")
        .build().start();
        Autopilot other = builder(db.newDataSource(4), "cancels", "other").task(jt).task(sql).build().attach()) {
      String j = host.trigger("long-java");
      String s = host.trigger("long-sql");
      Await.until(Duration.ofSeconds(20), "both running", () -> loops.get() > 3
          && count(db, "SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(120)' AND state = 'active'") == 1);
      Await.until(Duration.ofSeconds(10), "running age visible in the monitor", () -> host.monitor()
          .jobs(JobQuery.all().states(JobState.RUNNING)).stream()
          .anyMatch(r -> r.executionId().equals(j) && r.age(java.time.Instant.now()).orElseThrow().toMillis() >= 500));
      assertTrue(other.control().cancel(j, "alice"), "cancel from an attached client");
      assertTrue(other.control().cancel(s, "bob"));
      long t0 = System.nanoTime();
      Await.until(Duration.ofSeconds(20), "both recorded cancelled", () -> {
        host.flushHistory(Duration.ofSeconds(1));
        return count(db, "SELECT count(*) FROM cancels.job_history WHERE outcome = 'cancelled'") == 2;
      });
      assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(20).toNanos());
      assertEquals(0, count(db, "SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(120)' AND state = 'active'"),
          "the statement was cancelled in the database");
      JobRecord rj = host.monitor().jobs(JobQuery.all().task("long-java")).get(0);
      assertEquals(JobState.CANCELLED, rj.state());
      assertEquals("cancelled by alice", rj.errorMessage());
      JobRecord rs = host.monitor().jobs(JobQuery.all().task("long-sql")).get(0);
      assertEquals(JobState.CANCELLED, rs.state());
      assertEquals("cancelled by bob", rs.errorMessage());
      assertEquals(0, count(db, "SELECT count(*) FROM cancels.scheduled_tasks"), "nothing retried");
    }
  }

  @Test
  void aRunPastItsTimeoutIsRecordedFailedAndTheNextSlotStillRuns(TestDatabase db) throws Exception {
    AtomicInteger runs = new AtomicInteger();
    Task slow = Task.java("sleepy", ctx -> {
      if (runs.incrementAndGet() == 1) {
        Thread.sleep(30_000); // interrupted at the timeout
      }
    }).cron("@every 2s").timeout(Duration.ofMillis(700)).retry(RetryPolicy.none()).build();
    Task sql = Task.sql("slow-sql", "SELECT pg_sleep(30)").timeout(Duration.ofMillis(500)).retry(RetryPolicy.none()).build();
    try (Autopilot a = builder(db.newDataSource(6), "timeouts", "a").task(slow).task(sql)
        .property("autopilot.pg-cron", "off").build().start()) {
      a.trigger("slow-sql");
      Await.until(Duration.ofSeconds(30), "a timed-out run and a later success", () -> {
        a.flushHistory(Duration.ofSeconds(1));
        return count(db, "SELECT count(*) FROM timeouts.job_history WHERE task_name = 'sleepy' AND outcome = 'succeeded'") >= 1
            && count(db, "SELECT count(*) FROM timeouts.job_history WHERE task_name = 'slow-sql'") == 1;
      });
      JobRecord failed = a.monitor().jobs(JobQuery.all().task("sleepy").states(JobState.FAILED)).get(0);
      assertEquals("timed out after 700 ms", failed.errorMessage());
      assertTrue(failed.duration().orElseThrow().toMillis() < 10_000, "stopped at its timeout, not after 30 s");
      JobRecord s = a.monitor().jobs(JobQuery.all().task("slow-sql")).get(0);
      assertEquals(JobState.FAILED, s.state());
      assertEquals("timed out after 500 ms", s.errorMessage(), "statement_timeout ended it");
    }
  }

  @Test
  void retryOfAFailedExecutionRunsItAgainLinkedToTheFirstWithItsArguments(TestDatabase db) throws Exception {
    Map<String, Map<String, String>> seen = new ConcurrentHashMap<>();
    AtomicInteger calls = new AtomicInteger();
    Task flaky = Task.java("flaky", ctx -> {
      seen.put(ctx.executionId(), ctx.args());
      if (calls.incrementAndGet() == 1) {
        throw new IllegalStateException("first call fails");
      }
    }).retry(RetryPolicy.none()).build();
    try (Autopilot a = builder(db.newDataSource(6), "retries", "a").task(flaky).build().start()) {
      String first = a.trigger("flaky", Map.of("type", "hourly", "n", 3, "dry", true));
      Await.until(Duration.ofSeconds(20), "the first run failed", () -> {
        a.flushHistory(Duration.ofSeconds(1));
        return count(db, "SELECT count(*) FROM retries.job_history WHERE outcome = 'failed'") == 1;
      });
      assertEquals(Map.of("type", "hourly", "n", "3", "dry", "true"), seen.get(first), "arguments visible in the context");
      JobRecord f = a.monitor().jobs(JobQuery.all().task("flaky")).get(0);
      assertEquals(Map.of("type", "hourly", "n", "3", "dry", "true"), f.args(), "arguments visible in history");
      assertEquals("{\"n\": \"3\", \"dry\": \"true\", \"type\": \"hourly\"}".length(),
          new Jdbc(db.dataSource()).queryOne("SELECT args::text FROM retries.job_history", Jdbc.NONE, rs -> rs.getString(1))
              .orElseThrow().length());

      String again = a.control().retry(first, "alice");
      Await.until(Duration.ofSeconds(20), "the re-run succeeded", () -> {
        a.flushHistory(Duration.ofSeconds(1));
        return count(db, "SELECT count(*) FROM retries.job_history WHERE outcome = 'succeeded'") == 1;
      });
      JobRecord ok = a.monitor().jobs(JobQuery.all().task("flaky").states(JobState.SUCCEEDED)).get(0);
      assertEquals(again, ok.executionId());
      assertEquals(first, ok.retryOf(), "linked to the first");
      assertEquals(f.args(), ok.args(), "same arguments");
      AutopilotException e = assertThrows(AutopilotException.class, () -> a.control().retry(again, "alice"));
      assertTrue(e.getMessage().contains("succeeded"), e.getMessage());
      IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
          () -> a.trigger("flaky", Map.of("bad", List.of(1))));
      assertTrue(bad.getMessage().contains("'bad'"), bad.getMessage());
    }
  }

  @Test
  void argumentsAreCheckedAgainstTheShapeATaskDeclares(TestDatabase db) {
    Task shaped = Task.java("shaped", ctx -> { }).arg("type", String.class, true).arg("keep", Long.class, false).build();
    try (Autopilot a = builder(db.newDataSource(4), "shapes", "a").task(shaped).build().start()) {
      assertNotNull(a.trigger("shaped", Map.of("type", "hourly", "keep", 10)));
      assertNotNull(a.trigger("shaped", Map.of("type", "hourly", "keep", "10")), "a command line's string form fits");
      IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> a.trigger("shaped", Map.of()));
      assertEquals("task 'shaped' needs the argument 'type'", missing.getMessage());
      IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
          () -> a.trigger("shaped", Map.of("type", "x", "colour", "red")));
      assertTrue(unknown.getMessage().contains("no argument 'colour'"), unknown.getMessage());
      IllegalArgumentException typed = assertThrows(IllegalArgumentException.class,
          () -> a.triggerAll("shaped", List.of(Map.of("type", "x", "keep", "ten"))));
      assertEquals("task 'shaped': argument 'keep' must be a long, was 'ten'", typed.getMessage());
    }
  }

  @Test
  void argumentsFromAClientThatKnowsTheTaskOnlyByNameAreCheckedWhenTheRunStarts(TestDatabase db) throws Exception {
    Task shaped = Task.java("shaped-late", ctx -> { }).arg("type", String.class, true)
        .retry(RetryPolicy.exponential(3, Duration.ofMillis(100))).build();
    try (Autopilot host = builder(db.newDataSource(4), "late", "host").task(shaped).build().start();
        Autopilot cli = Autopilot.builder(db.newDataSource(2)).schema("late").environment(Map.of())
            .discoverProviders(false).builtInTasks(false).build().attach()) {
      String id = cli.trigger("shaped-late", Map.of("colour", "red")); // the client has the recorded catalog only
      Await.until(Duration.ofSeconds(20), "the run failed", () -> {
        host.flushHistory(Duration.ofSeconds(1));
        return count(db, "SELECT count(*) FROM late.job_history WHERE outcome = 'failed'") == 1;
      });
      JobRecord r = host.monitor().jobs(JobQuery.all().task("shaped-late")).get(0);
      assertEquals(id, r.executionId());
      assertEquals(1, r.attempt(), "not retried: another attempt would fail the same way");
      assertTrue(r.errorMessage().contains("no argument 'colour'"), r.errorMessage());
    }
  }

  @Test
  void threeInstancesRunAtMostOneRunOfAMaxConcurrencyOneTaskAtATime(TestDatabase db) throws Exception {
    exec(db, "CREATE TABLE public.spans(execution_id text, started timestamptz, ended timestamptz)");
    Task one = Task.java("one-at-a-time", ctx -> {
      java.sql.Timestamp start;
      try (Connection c = ctx.dataSource().getConnection(); Statement s = c.createStatement();
          java.sql.ResultSet rs = s.executeQuery("SELECT clock_timestamp()")) {
        rs.next();
        start = rs.getTimestamp(1);
      }
      Thread.sleep(30);
      try (Connection c = ctx.dataSource().getConnection();
          PreparedStatement ps = c.prepareStatement("INSERT INTO public.spans VALUES (?, ?, clock_timestamp())")) {
        ps.setString(1, ctx.executionId());
        ps.setTimestamp(2, start);
        ps.executeUpdate();
      }
    }).maxConcurrency(1).retry(RetryPolicy.none()).build();
    List<Autopilot> aps = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        aps.add(builder(db.newDataSource(8), "slots", "n" + i).task(one)
            .property("autopilot.polling-strategy", i == 2 ? "lock-and-fetch" : "fetch").build().start());
      }
      for (int i = 0; i < 60; i++) {
        aps.get(i % 3).trigger("one-at-a-time");
      }
      Await.until(Duration.ofSeconds(120), "60 runs", () -> count(db, "SELECT count(*) FROM public.spans") == 60);
      assertEquals(60, count(db, "SELECT count(DISTINCT execution_id) FROM public.spans"), "all 60 ran, once each");
      assertEquals(0, count(db, "SELECT count(*) FROM public.spans a JOIN public.spans b ON a.execution_id < b.execution_id"
          + " AND a.started < b.ended AND b.started < a.ended"), "no two runs overlap");
      aps.forEach(ap -> ap.flushHistory(Duration.ofSeconds(5)));
      assertEquals(60, count(db, "SELECT count(*) FROM slots.job_history WHERE outcome = 'succeeded'"),
          "runs put back for want of a slot leave no history row");
    } finally {
      aps.forEach(Autopilot::close);
    }
  }

  @Test
  void aTriggerFromAnotherInstanceStartsWithoutWaitingForTheNextPoll(TestDatabase db) throws Exception {
    Map<String, Long> started = new ConcurrentHashMap<>();
    Task t = Task.java("wake-me", ctx -> started.put(ctx.executionId(), System.nanoTime())).build();
    try (Autopilot host = builder(db.newDataSource(6), "wake", "host").task(t).pollingInterval(Duration.ofMinutes(10))
        .build().start();
        Autopilot client = builder(db.newDataSource(2), "wake", "client").task(t).build().attach()) {
      Thread.sleep(500); // past the poll at start: from here only a notification can wake the host
      for (int i = 0; i < 5; i++) {
        String id = client.trigger("wake-me");
        Await.until(Duration.ofSeconds(30), "the run, long before the next poll in 10 min", () -> started.containsKey(id));
      }
      // the LISTEN connection is lost: the host reconnects and is woken again
      String listen = "SELECT count(*) FROM pg_stat_activity WHERE query = 'LISTEN autopilot_" + crc("wake") + "'"
          + " AND datname = current_database()";
      assertEquals(1, count(db, listen));
      exec(db, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN autopilot_" + crc("wake")
          + "' AND datname = current_database()");
      Await.until(Duration.ofSeconds(30), "listening again", () -> count(db, listen) == 1);
      String id = client.trigger("wake-me");
      Await.until(Duration.ofSeconds(30), "the run after the reconnect", () -> started.containsKey(id));
    }
  }

  private static String crc(String schema) {
    java.util.zip.CRC32 c = new java.util.zip.CRC32();
    c.update(schema.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return String.format("%08x", c.getValue());
  }

  @Test
  void withNotificationsOffNothingListensAndPollingStillRunsTriggers(TestDatabase db) throws Exception {
    Map<String, Long> started = new ConcurrentHashMap<>();
    Task t = Task.java("polled", ctx -> started.put(ctx.executionId(), System.nanoTime())).build();
    try (Autopilot host = builder(db.newDataSource(6), "quiet", "host").task(t)
        .property("autopilot.notify.enabled", "false").build().start();
        Autopilot client = builder(db.newDataSource(2), "quiet", "client").task(t)
            .property("autopilot.notify.enabled", "false").build().attach()) {
      assertEquals(0, count(db, "SELECT count(*) FROM pg_stat_activity WHERE query = 'LISTEN autopilot_" + crc("quiet")
          + "' AND datname = current_database()"), "no LISTEN connection");
      String id = client.trigger("polled");
      Await.until(Duration.ofSeconds(30), "the run, found by polling", () -> started.containsKey(id));
    }
  }

  @Test
  void badPollingStrategyFailsTheBuildNamingTheSetting(TestDatabase db) {
    dev.autopilot.ConfigurationException e = assertThrows(dev.autopilot.ConfigurationException.class,
        () -> builder(db.dataSource(), "bad", "x").property("autopilot.polling-strategy", "sometimes").build());
    assertTrue(e.getMessage().contains("autopilot.polling-strategy"), e.getMessage());
    assertTrue(e.getMessage().contains("sometimes"), e.getMessage());
  }

  @Test
  void aBulkEnqueueIsAllOrNothingAcrossItsStatements(TestDatabase db) throws Exception {
    Task t = Task.java("all-or-none", ctx -> { }).build();
    // a host that polls rarely, so the rows stay to be counted
    try (Autopilot a = builder(db.newDataSource(4), "atomic", "a").task(t).pollingInterval(Duration.ofMinutes(10))
        .property("autopilot.notify.enabled", "false").build().start()) {
      // the 12,345th run's argument is refused by the table: it is in the second statement of the call
      exec(db, "ALTER TABLE atomic.scheduled_tasks ADD CONSTRAINT refuse_one"
          + " CHECK (position(convert_to('=12345;', 'UTF8') IN coalesce(task_data, ''::bytea)) = 0)");
      List<Map<String, ?>> args = new ArrayList<>();
      for (int i = 0; i < 15_000; i++) {
        args.add(Map.of("n", "=" + i + ";"));
      }
      dev.autopilot.AutopilotException e = assertThrows(dev.autopilot.AutopilotException.class,
          () -> a.triggerAll("all-or-none", args));
      assertTrue(e.getMessage().contains("enqueueing 15000 run(s) of all-or-none failed (none was enqueued)"),
          e.getMessage());
      assertEquals(0, count(db, "SELECT count(*) FROM atomic.scheduled_tasks WHERE task_name = 'all-or-none'"),
          "the first statement's 10,000 rows went with the second's failure");
      exec(db, "ALTER TABLE atomic.scheduled_tasks DROP CONSTRAINT refuse_one");
      assertEquals(15_000, a.triggerAll("all-or-none", args).size());
      assertEquals(15_000, count(db, "SELECT count(*) FROM atomic.scheduled_tasks WHERE task_name = 'all-or-none'"));
    }
  }

  @Test
  void aBulkEnqueueOfTenThousandRunsRunsEachExactlyOnce(TestDatabase db) throws Exception {
    exec(db, "CREATE UNLOGGED TABLE public.bulk(execution_id text, n text)");
    Task t = Task.java("fan-out", ctx -> {
      try (Connection c = ctx.dataSource().getConnection();
          PreparedStatement ps = c.prepareStatement("INSERT INTO public.bulk VALUES (?, ?)")) {
        ps.setString(1, ctx.executionId());
        ps.setString(2, ctx.args().get("n"));
        ps.executeUpdate();
      }
    }).build();
    List<Map<String, ?>> args = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      args.add(Map.of("n", i));
    }
    try (Autopilot a = builder(db.newDataSource(10), "bulk", "a").task(t).threads(6).build().start()) {
      List<String> ids = a.triggerAll("fan-out", args);
      assertEquals(10_000, ids.size());
      assertEquals(10_000, ids.stream().distinct().count());
      Await.until(Duration.ofMinutes(5), "10,000 runs", () -> count(db, "SELECT count(*) FROM public.bulk") >= 10_000);
      Thread.sleep(1000);
      assertEquals(10_000, count(db, "SELECT count(*) FROM public.bulk"));
      assertEquals(10_000, count(db, "SELECT count(DISTINCT execution_id) FROM public.bulk"), "each exactly once");
      assertEquals(10_000, count(db, "SELECT count(DISTINCT n) FROM public.bulk"), "each with its own argument");
    }
  }
}
