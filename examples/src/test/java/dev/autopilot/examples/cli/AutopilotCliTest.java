package dev.autopilot.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autopilot.Autopilot;
import dev.autopilot.TaskStatus;
import dev.autopilot.examples.ExampleApp;
import dev.autopilot.internal.Packs;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Drives the operator CLI in this JVM against a real database of the test cluster. */
@ExtendWith(PostgresExtension.class)
class AutopilotCliTest {

  /** Every task name of TASKS.md (36), by section. */
  static final List<String> TASKS_MD_PG_CRON = List.of("task-assignment", "pattern-learning", "centralcloud-sync",
      "cache-cleanup-expired", "metrics-refresh", "cache-refresh-hot-packages", "table-statistics",
      "cache-prewarm-hot-packages", "pagerank-recalculation", "daily-vacuum-analyze", "cleanup-job-history",
      "cleanup-artifacts", "cleanup-code-chunks", "reindex-bloated-indexes", "vector-stats-refresh", "graph-populate",
      "backup-archival", "planning-seed");
  static final List<String> TASKS_MD_STARTUP = List.of("knowledge-migration", "templates-data-load", "code-ingest",
      "rag-setup");
  static final List<String> TASKS_MD_RECURRING = List.of("database-backup-hourly", "database-backup-daily",
      "template-sync", "code-analysis-cache-clear", "registry-sync", "dead-code-daily-check",
      "dead-code-weekly-summary", "template-embed", "code-ingest-weekly", "metrics-aggregation", "pattern-sync",
      "feedback-analysis", "agent-evolution", "knowledge-export");
  /** Built-in tasks beyond TASKS.md, each documented in README: a manual-only backup. */
  static final Set<String> BUILT_IN_EXTRAS = Set.of("database-backup-manual");
  static final Set<String> EXAMPLE_TASKS = Set.of(ExampleApp.SOURCE_CENSUS, ExampleApp.HEARTBEAT, ExampleApp.PRUNE_PROGRESS);

  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path home;

  static Path repo;

  @BeforeAll
  static void migrate(TestDatabase db) {
    repo = Path.of("").toAbsolutePath().getParent(); // surefire runs in examples/
    assertTrue(Files.exists(repo.resolve("examples/pom.xml")), "repository root: " + repo);
    // the schema exists once a host has started; the CLI itself never migrates
    Autopilot.builder(db.dataSource()).builtInTasks(false).discoverProviders(false).environment(Map.of())
        .build().start().close();
  }

  record Result(int code, String out, String err) {
    JsonNode json() {
      try {
        return JSON.readTree(out);
      } catch (Exception e) {
        throw new AssertionError("not JSON: " + out, e);
      }
    }
  }

  static Result cli(TestDatabase db, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    if (!all.contains("--jdbc-url") && !all.get(0).equals("db")) {
      all.addAll(List.of("--jdbc-url", db.jdbcUrl()));
    }
    all.addAll(List.of("--repo", repo.toString()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = AutopilotCli.run(all.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /**
   * The example host, start-up tasks disabled so no bootstrap (knowledge, code ingest, embeddings)
   * runs in this test; with or without the built-in packs.
   */
  static Autopilot host(TestDatabase db, Set<String> startupTasks, boolean builtIns) {
    Autopilot.Builder b = ExampleApp.builder(db.dataSource(), repo, home).environment(Map.of())
        .builtInTasks(builtIns).pollingInterval(Duration.ofMillis(200)).threads(2);
    startupTasks.forEach(t -> b.enabled(t, false));
    return b.build().start();
  }

  @Test
  void statusJsonListsEveryTaskOfTheCatalogWithTheEngineTheHostUses(TestDatabase db) {
    // the CLI knows no catalog of its own: it shows what the running host recorded
    Set<String> startup = Set.of("knowledge-migration", "templates-data-load", "code-ingest", "rag-setup",
        "planning-seed", "graph-populate");
    try (Autopilot host = host(db, startup, true)) {
      Result r = cli(db, "status", "--json");
      assertEquals(0, r.code(), r.err());
      checkStatus(host, r);
    }
  }

  private void checkStatus(Autopilot host, Result r) {
    JsonNode arr = r.json();
    Map<String, JsonNode> byName = new LinkedHashMap<>();
    for (JsonNode n : arr) {
      for (String field : List.of("name", "engine", "schedule", "enabled", "nextRun", "lastRun", "lastOutcome")) {
        assertTrue(n.has(field), "field " + field + " in " + n);
      }
      assertTrue(Set.of("pg_cron", "db-scheduler").contains(n.get("engine").asText()), n.toString());
      byName.put(n.get("name").asText(), n);
      assertEquals(host.instanceName(), n.get("instances").get(0).asText());
    }
    assertTrue(byName.keySet().containsAll(EXAMPLE_TASKS), byName.keySet().toString());

    // the catalog as the running host sees it: same names, engines and schedules
    {
      List<TaskStatus> tasks = host.monitor().tasks();
      assertEquals(tasks.size(), byName.size(), "tasks: " + byName.keySet());
      for (TaskStatus t : tasks) {
        JsonNode n = byName.get(t.name());
        assertTrue(n != null, "missing in status: " + t.name());
        assertEquals(t.engine().label(), n.get("engine").asText(), t.name());
        assertEquals(t.schedule() == null ? "null" : t.schedule(), n.get("schedule").asText(), t.name());
      }
    }

    // built-in tasks are named as in TASKS.md
    List<String> tasksMd = new ArrayList<>(TASKS_MD_PG_CRON);
    tasksMd.addAll(TASKS_MD_STARTUP);
    tasksMd.addAll(TASKS_MD_RECURRING);
    assertEquals(36, new TreeSet<>(tasksMd).size());
    for (String name : byName.keySet()) {
      assertTrue(EXAMPLE_TASKS.contains(name) || tasksMd.contains(name) || BUILT_IN_EXTRAS.contains(name),
          "task not in TASKS.md: " + name);
    }
    // strict once built-in packs are registered: every TASKS.md task is listed
    if (!Packs.discover(getClass().getClassLoader(), "").isEmpty()) {
      Set<String> missing = new TreeSet<>(tasksMd);
      missing.removeAll(byName.keySet());
      assertTrue(missing.isEmpty(), "TASKS.md tasks missing from status: " + missing);
    }
  }

  @Test
  void triggerRunsATaskOnTheRunningHostAndJobsThenShowsIt(TestDatabase db) throws Exception {
    // the host needs only the task triggered here; the CLI still attaches with the full catalog
    try (Autopilot host = host(db, Set.of(), false)) {
      Result t = cli(db, "trigger", ExampleApp.SOURCE_CENSUS, "--wait", "60s", "--json");
      assertEquals(0, t.code(), t.err());
      JsonNode run = t.json();
      assertEquals("succeeded", run.get("state").asText());
      assertEquals(host.instanceName(), run.get("instance").asText(), "ran on the host, not in the CLI");
      String id = run.get("executionId").asText();
      assertTrue(id.startsWith("manual-"), id);

      // the task really ran: it counted this repository's files
      try (Connection c = db.connect(); Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT value FROM autopilot.task_state WHERE task_name = '"
               + ExampleApp.SOURCE_CENSUS + "' AND key = 'files'")) {
        assertTrue(rs.next());
        assertTrue(Integer.parseInt(rs.getString(1)) > 20, rs.getString(1));
      }

      Result jobs = cli(db, "jobs", "--task", ExampleApp.SOURCE_CENSUS, "--state", "succeeded,failed", "--json");
      assertEquals(0, jobs.code(), jobs.err());
      boolean found = false;
      for (JsonNode j : jobs.json()) {
        assertEquals(ExampleApp.SOURCE_CENSUS, j.get("task").asText());
        found |= id.equals(j.get("executionId").asText()) && "succeeded".equals(j.get("state").asText());
      }
      assertTrue(found, "execution " + id + " in " + jobs.out());

      // finished jobs, newest first (scheduled future runs of other tasks would sort first otherwise)
      Result text = cli(db, "jobs", "--state", "succeeded", "--limit", "5");
      assertEquals(0, text.code(), text.err());
      assertTrue(text.out().contains(id), text.out());

      Result status = cli(db, "status", "--json");
      for (JsonNode n : status.json()) {
        if (n.get("name").asText().equals(ExampleApp.SOURCE_CENSUS)) {
          assertEquals("succeeded", n.get("lastOutcome").asText());
          assertFalse(n.get("lastRun").isNull());
        }
      }
    }
  }

  @Test
  void pauseResumeCancelRetryAndTriggerWithArgumentsWorkThroughTheCli(TestDatabase db) throws Exception {
    try (Autopilot host = host(db, Set.of(), false)) {
      long auditBefore; // other tests of this class share the database and its audit
      try (Connection conn = db.connect(); Statement st = conn.createStatement();
           ResultSet rs = st.executeQuery("SELECT coalesce(max(id), 0) FROM autopilot.action_audit")) {
        rs.next();
        auditBefore = rs.getLong(1);
      }
      Result p = cli(db, "pause", ExampleApp.HEARTBEAT, "--by", "ops", "--reason", "noisy logs", "--json");
      assertEquals(0, p.code(), p.err());
      assertTrue(p.json().get("paused").asBoolean());
      JsonNode heartbeat = null;
      for (JsonNode n : cli(db, "status", "--json").json()) {
        if (n.get("name").asText().equals(ExampleApp.HEARTBEAT)) {
          heartbeat = n;
        }
      }
      assertTrue(heartbeat != null && heartbeat.get("paused").asBoolean(), "status shows the pause: " + heartbeat);
      assertTrue(cli(db, "status").out().contains("paused"));
      assertEquals("ops", host.control().pauses().get(0).by());
      assertEquals("noisy logs", host.control().pauses().get(0).reason());
      Result r = cli(db, "resume", ExampleApp.HEARTBEAT, "--by", "ops");
      assertEquals(0, r.code(), r.err());
      assertTrue(host.control().pauses().isEmpty());

      // the recurring execution waits for its next minute: cancelling it skips that slot
      Result ambiguous = cli(db, "cancel", "recurring", "--by", "ops");
      assertEquals(2, ambiguous.code(), ambiguous.out());
      assertTrue(ambiguous.err().contains("TASK:ID"), ambiguous.err());
      Result c = cli(db, "cancel", ExampleApp.HEARTBEAT + ":recurring", "--by", "ops", "--json");
      assertEquals(0, c.code(), c.err());
      assertTrue(c.json().get("cancelled").asBoolean());
      Result none = cli(db, "cancel", "manual-nothing-like-this", "--by", "ops");
      assertEquals(1, none.code(), none.out());

      Result t = cli(db, "trigger", ExampleApp.SOURCE_CENSUS, "--arg", "type=hourly", "--arg", "depth=2", "--json");
      assertEquals(0, t.code(), t.err());
      String id = t.json().get("executionId").asText();
      assertEquals("hourly", t.json().get("args").get("type").asText(), t.out());
      assertEquals("2", t.json().get("args").get("depth").asText());
      assertEquals(2, cli(db, "trigger", ExampleApp.SOURCE_CENSUS, "--arg", "no-equals-sign").code());

      // a failed execution of the task (as history records one), re-run through the CLI
      long failedId;
      try (Connection conn = db.connect(); Statement st = conn.createStatement();
           ResultSet rs = st.executeQuery("INSERT INTO autopilot.job_history (task_name, execution_id, engine, outcome,"
               + " attempt, started_at, finished_at, error_message) VALUES ('" + ExampleApp.SOURCE_CENSUS + "',"
               + " 'manual-failed-before', 'db-scheduler', 'failed', 3, now(), now(), 'disk full') RETURNING id")) {
        rs.next();
        failedId = rs.getLong(1);
      }
      Result again = cli(db, "retry", String.valueOf(failedId), "--by", "ops", "--json");
      assertEquals(0, again.code(), again.err());
      String rerun = again.json().get("executionId").asText();
      assertEquals(2, cli(db, "retry", id, "--by", "ops").code(), "a succeeded run is not retried");
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (host.monitor().jobs(dev.autopilot.JobQuery.all().task(ExampleApp.SOURCE_CENSUS)
          .states(dev.autopilot.JobState.SUCCEEDED)).stream().noneMatch(j -> j.executionId().equals(rerun))) {
        assertTrue(System.nanoTime() < deadline, "the re-run finished within 60 s");
        host.flushHistory(Duration.ofSeconds(1));
        Thread.sleep(100);
      }
      boolean withArgs = false;
      boolean linked = false;
      for (JsonNode j : cli(db, "jobs", "--task", ExampleApp.SOURCE_CENSUS, "--state", "succeeded", "--json").json()) {
        withArgs |= id.equals(j.get("executionId").asText()) && "hourly".equals(j.get("args").path("type").asText());
        linked |= rerun.equals(j.get("executionId").asText()) && "manual-failed-before".equals(j.get("retryOf").asText());
      }
      assertTrue(withArgs, "jobs shows the arguments");
      assertTrue(linked, "jobs shows the re-run linked to the failed execution");
      boolean cancelled = false;
      for (JsonNode j : cli(db, "jobs", "--task", ExampleApp.HEARTBEAT, "--state", "cancelled", "--json").json()) {
        cancelled |= "recurring".equals(j.get("executionId").asText());
      }
      assertTrue(cancelled, "the skipped slot is recorded cancelled");

      // every action the CLI took (or was refused) is in action_audit, as the dashboard's are
      List<String> audit = new java.util.ArrayList<>();
      try (Connection conn = db.connect(); Statement st = conn.createStatement();
           ResultSet rs = st.executeQuery("SELECT action, target, outcome, actor, detail FROM autopilot.action_audit"
               + " WHERE source = 'cli' AND role = 'operator' AND id > " + auditBefore + " ORDER BY id")) {
        while (rs.next()) {
          audit.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3)
              + ("run".equals(rs.getString(1)) ? "" : " by " + rs.getString(4))
              + ("retry".equals(rs.getString(1)) && "done".equals(rs.getString(3)) ? " -> " + rs.getString(5) : ""));
        }
      }
      assertEquals(List.of(
          "pause " + ExampleApp.HEARTBEAT + " done by ops",
          "resume " + ExampleApp.HEARTBEAT + " done by ops",
          "cancel recurring refused by ops",
          "cancel " + ExampleApp.HEARTBEAT + ":recurring done by ops",
          "cancel manual-nothing-like-this refused by ops",
          "run " + ExampleApp.SOURCE_CENSUS + " done",
          "retry " + failedId + " done by ops -> " + rerun,
          "retry " + id + " refused by ops"), audit);
    }
  }

  @Test
  void badArgumentsUnknownTasksAndUnreachableDatabasesExitTwoWithOneLine(TestDatabase db) {
    String noSchema = db.createSiblingDatabase("empty");
    List<List<String>> cases = List.of(
        List.of("frobnicate"),
        List.of("status", "--bogus"),
        List.of("status", "extra"),
        List.of("jobs", "--state", "bogus"),
        List.of("jobs", "--limit", "0"),
        List.of("jobs", "--limit"),
        List.of("jobs", "--task", "no-such-task"),
        List.of("jobs", "--wait", "5s"),
        List.of("trigger"),
        List.of("trigger", "no-such-task"),
        List.of("trigger", ExampleApp.HEARTBEAT, "--wait", "soon"),
        List.of("cron", "extra"),
        List.of("db", "launch"),
        List.of("db", "start", "--jdbc-url", db.jdbcUrl()),
        List.of("status", "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/nowhere?connectTimeout=2"),
        List.of("status", "--jdbc-url", "jdbc:mysql://localhost/x"),
        List.of("status", "--jdbc-url", noSchema),
        List.of("status", "--schema", "Not A Schema"));
    for (List<String> args : cases) {
      Result r = cli(db, args.toArray(new String[0]));
      assertEquals(2, r.code(), args + " -> " + r.err());
      String[] lines = r.err().split("\n");
      assertTrue(lines[0].startsWith("autopilot: "), args + " -> " + r.err());
      assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), args + " printed a stack trace: " + r.err());
      assertTrue(lines.length == 1 || lines[1].startsWith("usage: "), args + " -> " + r.err());
      assertEquals("", r.out(), args + " wrote to stdout");
    }
    assertTrue(cli(db, "status", "--jdbc-url", noSchema).err().contains("no Autopilot schema"), "names the cause");
    Result noArgs = cli(db, "--json");
    assertEquals(2, noArgs.code());
    assertTrue(noArgs.err().startsWith("autopilot: ") && noArgs.err().contains("usage: "), noArgs.err());
  }

  @Test
  void cronListsThePgCronJobsOfThisDatabase(TestDatabase db) throws Exception {
    assumeTrue(db.pgCronAvailable(), "pg_cron not installed");
    String job = "autopilot-cli-test-" + db.name();
    try (Connection c = db.cluster().orElseThrow().connect("postgres"); Statement s = c.createStatement()) {
      s.execute("SELECT cron.schedule_in_database('" + job + "', '0 0 1 1 *', 'SELECT 1', '" + db.name() + "')");
    }
    try {
      Result r = cli(db, "cron", "--json");
      assertEquals(0, r.code(), r.err());
      JsonNode j = r.json();
      assertEquals("postgres", j.get("cronDatabase").asText());
      List<String> names = new ArrayList<>();
      for (JsonNode n : j.get("jobs")) {
        assertEquals(db.name(), n.get("database").asText(), "only this database's jobs");
        names.add(n.get("jobname").asText());
      }
      assertTrue(names.contains(job), names.toString());
      Result text = cli(db, "cron");
      assertEquals(0, text.code(), text.err());
      assertTrue(text.out().contains(job) && text.out().contains("0 0 1 1 *"), text.out());
    } finally {
      try (Connection c = db.cluster().orElseThrow().connect("postgres"); Statement s = c.createStatement()) {
        s.execute("SELECT cron.unschedule('" + job + "')");
      }
    }
  }

  @Test
  void backupsListsTheBackupCatalog(TestDatabase db) throws Exception {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO autopilot.backups (kind, status, file_path, size_bytes, sha256, finished_at, duration_ms)"
          + " VALUES ('hourly', 'verified', '/backups/h1.dump', 12345, 'abc', now(), 812)");
    }
    Result r = cli(db, "backups", "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode first = r.json().get(0);
    assertEquals("hourly", first.get("kind").asText());
    assertEquals("verified", first.get("status").asText());
    assertEquals(12345, first.get("size_bytes").asLong());
    Result text = cli(db, "backups");
    assertTrue(text.out().contains("/backups/h1.dump"), text.out());
  }
}
