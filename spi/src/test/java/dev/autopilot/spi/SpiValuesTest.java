package dev.autopilot.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SpiValuesTest {

  @Test
  void retryDelaysGrowExponentiallyUpToTheCap() {
    RetryPolicy p = RetryPolicy.exponential(6, Duration.ofSeconds(1)).withMaxDelay(Duration.ofSeconds(5)).withJitter(0);
    assertEquals(Duration.ofSeconds(1), p.delayAfter(1, 0.5));
    assertEquals(Duration.ofSeconds(2), p.delayAfter(2, 0.5));
    assertEquals(Duration.ofSeconds(4), p.delayAfter(3, 0.5));
    assertEquals(Duration.ofSeconds(5), p.delayAfter(4, 0.5));
    assertTrue(p.shouldRetry(5));
    assertFalse(p.shouldRetry(6));
  }

  @Test
  void jitterSpreadsWithinItsBand() {
    RetryPolicy p = RetryPolicy.exponential(3, Duration.ofSeconds(10)).withJitter(0.2);
    assertEquals(Duration.ofSeconds(8), p.delayAfter(1, 0.0));
    assertEquals(Duration.ofSeconds(12), p.delayAfter(1, 1.0));
  }

  @Test
  void invalidPoliciesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> RetryPolicy.exponential(0, Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> RetryPolicy.DEFAULT.withJitter(1.0));
    assertThrows(IllegalArgumentException.class, () -> RetryPolicy.DEFAULT.withMultiplier(0.5));
    assertThrows(IllegalArgumentException.class, () -> RetryPolicy.DEFAULT.withMaxDelay(Duration.ofMillis(1)));
  }

  @Test
  void triggersCombineCronAndStartup() {
    Trigger t = Trigger.cron("0 7 * * 0").andAtStartup(80);
    assertEquals("0 7 * * 0", t.cronExpression().orElseThrow());
    assertEquals(80, t.startupPriority().getAsInt());
    assertFalse(t.isManualOnly());
    assertTrue(Trigger.manual().isManualOnly());
    assertEquals(t, Trigger.cron("0 7 * * 0").andAtStartup(80));
    assertEquals("cron(0 7 * * 0)+startup(80)", t.toString());
  }

  @Test
  void taskNamesAreValidated() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Task.java("Bad Name", ctx -> {}));
    assertTrue(e.getMessage().contains("'Bad Name'"));
    assertThrows(IllegalArgumentException.class, () -> Task.sql("x", "  "));
    Task t = Task.sql("cleanup", "CALL ${schema}.cleanup()").cron("0 0 * * 0").pack("maintenance").build();
    assertEquals(Task.Kind.SQL, t.kind());
    assertEquals("maintenance", t.pack());
    assertEquals("CALL ${schema}.cleanup()", t.sql().orElseThrow());
  }

  @Test
  void durationsParseBothForms() {
    assertEquals(Duration.ofMillis(500), Durations.parse("k", "500ms"));
    assertEquals(Duration.ofMinutes(5), Durations.parse("k", "5m"));
    assertEquals(Duration.ofHours(1), Durations.parse("k", "PT1H"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse("autopilot.x", "soon"));
    assertTrue(e.getMessage().contains("autopilot.x") && e.getMessage().contains("soon"));
  }
}
