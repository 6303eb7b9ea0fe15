package dev.autopilot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.spi.Task;
import dev.autopilot.spi.Trigger;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link Autopilot#attach()}: a client for operator tools that runs nothing itself. */
@ExtendWith(PostgresExtension.class)
class AttachTest {

  static Autopilot.Builder builder(TestDatabase db, Set<String> ranOn, String name) {
    return Autopilot.builder(db.dataSource()).instanceName(name).environment(Map.of()).discoverProviders(false)
        .builtInTasks(false).pollingInterval(Duration.ofMillis(100))
        .task(Task.java("report", ctx -> ranOn.add(name)).trigger(Trigger.manual()).build());
  }

  @Test
  void attachedClientQueuesTriggersThatTheRunningInstanceExecutes(TestDatabase db) {
    Set<String> ranOn = ConcurrentHashMap.newKeySet();
    try (Autopilot host = builder(db, ranOn, "host").build().start();
         Autopilot client = builder(db, ranOn, "client").build().attach()) {
      assertFalse(client.alive(), "a client runs no scheduler");
      assertFalse(client.monitor().health().schedulerRunning());
      assertEquals(host.monitor().health().schemaVersion(), client.monitor().health().schemaVersion());
      String id = client.trigger("report");
      Await.until(Duration.ofSeconds(30), "the host ran the triggered job", () -> {
        host.flushHistory(Duration.ofSeconds(1));
        return client.monitor().jobs(JobQuery.all().task("report")).stream()
            .anyMatch(j -> j.executionId().equals(id) && j.state() == JobState.SUCCEEDED);
      });
      assertEquals(Set.of("host"), ranOn);
      List<JobRecord> jobs = client.monitor().jobs(JobQuery.all().task("report"));
      assertEquals("host", jobs.get(0).instance());
      assertThrows(UnknownTaskException.class, () -> client.trigger("no-such-task"));
    }
  }

  @Test
  void attachingToADatabaseWithoutTheSchemaFailsNamingIt(TestDatabase db) {
    String empty = db.createSiblingDatabase("empty");
    Autopilot ap = Autopilot.builder(db.newDataSource(empty, 2)).environment(Map.of()).discoverProviders(false)
        .builtInTasks(false).build();
    AutopilotException e = assertThrows(AutopilotException.class, ap::attach);
    assertTrue(e.getMessage().contains("no Autopilot schema 'autopilot'"), e.getMessage());
  }
}
