package dev.autopilot.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.autopilot.Autopilot;
import dev.autopilot.LogCapture;
import dev.autopilot.PasswordRoles;
import dev.autopilot.spi.Task;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Bad input through the API: every case fails with a one-line message naming the setting,
 * argument or privilege involved, no secret in it, and no stack trace in the log.
 */
@Tag("fault")
@ExtendWith(PostgresExtension.class)
class BadInputCorpusTest {

  private static final String SECRET = "Corpus-Secret-913";

  interface Case {
    void run() throws Exception;
  }

  private static Autopilot.Builder builder(DataSource ds) {
    return Autopilot.builder(ds).environment(Map.of()).discoverProviders(false).builtInTasks(false)
        .task(Task.java("report", ctx -> { }).cron("0 2 * * *").build());
  }

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static DataSource simple(String user, String password, int port, String database) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setServerNames(new String[] {"127.0.0.1"});
    ds.setPortNumbers(new int[] {port});
    ds.setDatabaseName(database);
    ds.setUser(user);
    if (password != null) {
      ds.setPassword(password);
    }
    ds.setConnectTimeout(5);
    return ds;
  }

  @Test
  void everyBadInputFailsInOneLineNamingWhatIsWrong(TestDatabase db) throws Exception {
    int port = db.cluster().map(c -> c.port()).orElse(5432);
    int closed = closedPort();
    PasswordRoles.create(db, "corpus_pw", "right-" + SECRET, "NOSUPERUSER");
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("DROP ROLE IF EXISTS corpus_nocreate");
      s.execute("CREATE ROLE corpus_nocreate LOGIN");
    }
    String name1000 = "x".repeat(1000);
    Map<String, String[]> expected = new LinkedHashMap<>(); // case -> words the message must hold
    Map<String, Case> cases = new LinkedHashMap<>();
    cases.put("cron-never-matches", () -> builder(db.dataSource())
        .task(Task.java("feb30", ctx -> { }).cron("0 0 30 2 *").build()).build());
    expected.put("cron-never-matches", new String[] {"task feb30", "0 0 30 2 *", "never fires"});
    cases.put("cron-out-of-range", () -> builder(db.dataSource()).property("autopilot.task.report.schedule", "0 24 * * *")
        .build());
    expected.put("cron-out-of-range", new String[] {"autopilot.task.report.schedule", "hour", "0-23"});
    cases.put("cron-field-count", () -> builder(db.dataSource()).schedule("report", "* * * *"));
    expected.put("cron-field-count", new String[] {"autopilot.task.report.schedule", "expected 5 fields"});
    cases.put("cron-from-environment", () -> builder(db.dataSource())
        .environment(Map.of("AUTOPILOT_TASK_REPORT_SCHEDULE", "61 * * * *")).build());
    expected.put("cron-from-environment", new String[] {"AUTOPILOT_TASK_REPORT_SCHEDULE", "minute"});
    cases.put("name-unicode", () -> Task.java("tâche-✓", ctx -> { }).build());
    expected.put("name-unicode", new String[] {"task name", "tâche-✓"});
    cases.put("name-1000-chars", () -> Task.java(name1000, ctx -> { }).build());
    expected.put("name-1000-chars", new String[] {"task name"});
    cases.put("name-quotes", () -> Task.java("it's \"x\"", ctx -> { }).build());
    expected.put("name-quotes", new String[] {"task name", "it's \"x\""});
    cases.put("schema-injection-setter", () -> builder(db.dataSource()).schema("app; DROP TABLE users"));
    expected.put("schema-injection-setter", new String[] {"autopilot.schema", "app; DROP TABLE users"});
    cases.put("schema-injection-property", () -> builder(db.dataSource())
        .property("autopilot.schema", "x\"; DROP SCHEMA public CASCADE; --").build());
    expected.put("schema-injection-property", new String[] {"autopilot.schema"});
    cases.put("schema-injection-environment", () -> builder(db.dataSource())
        .environment(Map.of("AUTOPILOT_SCHEMA", "a'b")).build());
    expected.put("schema-injection-environment", new String[] {"AUTOPILOT_SCHEMA"});
    cases.put("closed-port", () -> builder(simple("postgres", null, closed, db.name())).schema("corpus").build().start());
    expected.put("closed-port", new String[] {"DataSource given to Autopilot.builder", "refused"});
    cases.put("wrong-password", () -> builder(simple("corpus_pw", "wrong-" + SECRET, port, db.name()))
        .schema("corpus").build().start());
    expected.put("wrong-password", new String[] {"DataSource given to Autopilot.builder",
        "password authentication failed for user \"corpus_pw\""});
    cases.put("role-without-create", () -> builder(simple("corpus_nocreate", null, port, db.name()))
        .schema("corpus_nc").build().start());
    expected.put("role-without-create", new String[] {"role corpus_nocreate", "CREATE privilege on database",
        "GRANT CREATE ON DATABASE"});
    if (db.pgCronAvailable()) {
      cases.put("jdbc-url-from-environment", () -> builder(db.dataSource()).schema("corpus_env")
          .environment(Map.of("AUTOPILOT_PG_CRON_URL", "jdbc:postgresql://127.0.0.1:" + closed
              + "/postgres?user=postgres&password=" + SECRET, "AUTOPILOT_PG_CRON", "required"))
          .build().start());
      expected.put("jdbc-url-from-environment", new String[] {"AUTOPILOT_PG_CRON_URL", "password=***", "refused"});
    }

    List<String> problems = new ArrayList<>();
    long logLines;
    long stack;
    try (LogCapture logs = LogCapture.start()) {
      for (Map.Entry<String, Case> e : cases.entrySet()) {
        String message = null;
        try {
          e.getValue().run();
          problems.add(e.getKey() + ": no error");
          continue;
        } catch (Exception | AssertionError ex) {
          message = String.valueOf(ex.getMessage());
        }
        if (message.contains("\n")) {
          problems.add(e.getKey() + ": more than one line: " + message);
        }
        if (message.contains(SECRET)) {
          problems.add(e.getKey() + ": the password shows: " + message);
        }
        for (String word : expected.get(e.getKey())) {
          if (!message.contains(word)) {
            problems.add(e.getKey() + ": '" + word + "' missing in: " + message);
          }
        }
        System.out.println("BADINPUT " + e.getKey() + ": " + (message.length() > 300 ? message.substring(0, 300) + "..." : message));
      }
      logLines = logs.lines().size();
      stack = logs.stackTraceLines();
      assertFalse(logs.text().contains(SECRET), "the password in the log: " + logs.text());
    }
    FaultFixture.report("bad-input", 0, 0, 0, logLines, "cases=" + cases.size() + " failing_checks=" + problems.size()
        + " stack_trace_lines=" + stack);
    if (!problems.isEmpty()) {
      fail(String.join("\n", problems));
    }
    assertEquals(0, stack, "no stack trace in the log");
    assertTrue(cases.size() >= 13);
  }
}
