package dev.autopilot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.autopilot.spi.Task;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A start whose cron database cannot be reached, with the password in the JDBC URL: the password
 * appears in no log line, exception message, health or status string.
 */
@ExtendWith(PostgresExtension.class)
class NoSecretLeakTest {

  private static final String PASSWORD = "Sup3rSecretPw";

  private static Autopilot.Builder builder(TestDatabase db, String schema, String cronUrl) {
    return Autopilot.builder(db.dataSource()).schema(schema).environment(Map.of()).discoverProviders(false)
        .builtInTasks(false).pollingInterval(Duration.ofMillis(200))
        .task(Task.sql("leak-sql", "SELECT 1").cron("*/5 * * * *").build())
        .task(Task.java("leak-java", ctx -> { }).cron("*/5 * * * *").build())
        .property("autopilot.pg-cron.url", cronUrl);
  }

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void aFailingStartWithThePasswordInTheCronUrlLeaksItNowhere(TestDatabase db) throws Exception {
    assumeTrue(db.pgCronAvailable(), "pg_cron not installed");
    List<String> seen = new ArrayList<>();
    String closed = "jdbc:postgresql://127.0.0.1:" + closedPort() + "/postgres?user=postgres&password=" + PASSWORD;
    String noDriver = "jdbc:nosuchdriver://127.0.0.1/postgres?user=postgres&password=" + PASSWORD;
    try (LogCapture logs = LogCapture.start()) {
      for (String url : List.of(closed, noDriver)) {
        String schema = url == closed ? "leak_closed" : "leak_nodriver";
        try (Autopilot ap = builder(db, schema, url).build().start()) {
          Health h = ap.monitor().health();
          assertFalse(h.pgCronUsable());
          assertTrue(h.pgCronReason().contains("autopilot.pg-cron.url"), h.pgCronReason());
          assertTrue(h.pgCronReason().contains("password=***"), h.pgCronReason());
          seen.add(h.toString());
          for (TaskStatus t : ap.monitor().tasks()) {
            seen.add(t.toString());
          }
          assertEquals(Engine.DB_SCHEDULER, ap.monitor().task("leak-sql").orElseThrow().engine());
        }
        ConfigurationException e = assertThrows(ConfigurationException.class,
            () -> builder(db, schema + "_req", url).property("autopilot.pg-cron", "required").build().start());
        assertTrue(e.getMessage().contains("autopilot.pg-cron"), e.getMessage());
        for (Throwable t = e; t != null; t = t.getCause()) {
          seen.add(String.valueOf(t.getMessage()));
          seen.add(t.toString());
        }
      }
      seen.add(logs.text());
      assertTrue(logs.text().contains("SQL tasks run on db-scheduler"), "the fallback was logged");
    }
    for (String s : seen) {
      assertFalse(s.contains(PASSWORD), "password leaked into: " + s);
    }
  }
}
