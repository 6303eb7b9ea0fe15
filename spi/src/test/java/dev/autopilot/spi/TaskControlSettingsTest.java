package dev.autopilot.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Timeout, concurrency and argument declarations on the task builder. */
class TaskControlSettingsTest {

  @Test
  void timeoutMaxConcurrencyAndArgumentsSurviveACopyWithAnotherTrigger() {
    Task t = Task.java("t", ctx -> { }).timeout(Duration.ofSeconds(5)).maxConcurrency(2)
        .arg("type", String.class, true).build();
    Task copy = t.withTrigger(Trigger.cron("0 * * * *"));
    assertEquals(Optional.of(Duration.ofSeconds(5)), copy.timeout());
    assertEquals(2, copy.maxConcurrency());
    assertEquals(t.args(), copy.args());
    assertEquals(0, Task.java("u", ctx -> { }).build().maxConcurrency(), "unbounded by default");
    assertTrue(Task.java("u", ctx -> { }).build().timeout().isEmpty());
  }

  @Test
  void badValuesAreRefusedNamingTheTask() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Task.java("t", ctx -> { }).timeout(Duration.ZERO));
    assertTrue(e.getMessage().startsWith("task 't': timeout"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Task.java("t", ctx -> { }).maxConcurrency(0));
    assertTrue(e.getMessage().startsWith("task 't': maxConcurrency"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Task.java("t", ctx -> { }).arg("x", Map.class, false));
    assertTrue(e.getMessage().contains("use String, Long, Double or Boolean"), e.getMessage());
  }

  @Test
  void argumentsAreCheckedOnlyWhenDeclared() {
    Task free = Task.java("free", ctx -> { }).build();
    free.checkArgs(Map.of("anything", 1));
    Task shaped = Task.java("shaped", ctx -> { }).arg("n", Double.class, false).arg("dry", Boolean.class, false).build();
    shaped.checkArgs(Map.of("n", 1.5, "dry", "true"));
    shaped.checkArgs(Map.of());
    assertThrows(IllegalArgumentException.class, () -> shaped.checkArgs(Map.of("dry", "yes")));
    assertThrows(IllegalArgumentException.class, () -> shaped.checkArgs(Map.of("n", "lots")));
  }
}
