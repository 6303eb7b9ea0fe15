package dev.autopilot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.spi.Task;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** Invalid configuration fails at build() (or in the setter) naming the setting and value. */
class ConfigurationTest {

  private final DataSource ds = new PGSimpleDataSource();

  private Autopilot.Builder builder() {
    return Autopilot.builder(ds).environment(Map.of()).discoverProviders(false).builtInTasks(false)
        .task(Task.java("report", ctx -> {}).cron("0 2 * * *").build());
  }

  @Test
  void badCronOverrideNamesKeyAndValue() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> builder().property("autopilot.task.report.schedule", "0 25 * * *").build());
    assertEquals("autopilot.task.report.schedule", e.setting());
    assertEquals("0 25 * * *", e.value());
    assertTrue(e.getMessage().contains("hour"), e.getMessage());
  }

  @Test
  void badCronThroughSetterFailsAtOnce() {
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> builder().schedule("report", "every day"));
    assertEquals("autopilot.task.report.schedule", e.setting());
  }

  @Test
  void aCronThatNeverFiresIsRejectedAtBuildNamingTaskAndExpression() {
    for (Task t : java.util.List.of(Task.java("feb30", ctx -> {}).cron("0 0 30 2 *").build(),
        Task.sql("feb30", "SELECT 1").cron("0 0 30 2 *").build())) {
      ConfigurationException e = assertThrows(ConfigurationException.class, () -> builder().task(t).build());
      assertTrue(e.getMessage().contains("task feb30"), e.getMessage());
      assertEquals("0 0 30 2 *", e.value());
      assertTrue(e.getMessage().contains("never fires"), e.getMessage());
    }
    ConfigurationException o = assertThrows(ConfigurationException.class,
        () -> builder().property("autopilot.task.report.schedule", "0 0 31 4 *").build());
    assertEquals("autopilot.task.report.schedule", o.setting());
    assertTrue(o.getMessage().contains("April"), o.getMessage());
  }

  @Test
  void badCronInATaskDefinitionNamesTheTask() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> builder().task(Task.java("broken", ctx -> {}).cron("* *").build()).build());
    assertTrue(e.getMessage().contains("broken"), e.getMessage());
  }

  @Test
  void overrideOfUnknownTaskIsRejected() {
    Properties p = new Properties();
    p.setProperty("autopilot.task.reprot.enabled", "false");
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> builder().properties(p).build());
    assertEquals("autopilot.task.reprot.enabled", e.setting());
    assertTrue(e.getMessage().contains("no task named 'reprot'"), e.getMessage());
  }

  @Test
  void unknownTaskInEnvironmentIsRejected() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> builder().environment(Map.of("AUTOPILOT_TASK_NOPE_SCHEDULE", "* * * * *")).build());
    assertEquals("AUTOPILOT_TASK_NOPE_SCHEDULE", e.setting());
  }

  @Test
  void duplicateTaskNameNamesBothSources() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> builder().task(Task.java("report", ctx -> {}).build()).build());
    assertEquals("report", e.value());
    assertTrue(e.getMessage().contains("registered twice"), e.getMessage());
  }

  @Test
  void negativeThreadCount() {
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> builder().threads(-1));
    assertEquals("autopilot.threads", e.setting());
    assertEquals("-1", e.value());
    ConfigurationException p = assertThrows(ConfigurationException.class,
        () -> builder().property("autopilot.threads", "-3").build());
    assertEquals("autopilot.threads", p.setting());
    ConfigurationException env = assertThrows(ConfigurationException.class,
        () -> builder().environment(Map.of("AUTOPILOT_THREADS", "many")).build());
    assertEquals("AUTOPILOT_THREADS", env.setting());
    assertEquals("many", env.value());
  }

  @Test
  void otherSettings() {
    assertEquals("autopilot.polling-interval",
        assertThrows(ConfigurationException.class, () -> builder().property("autopilot.polling-interval", "fast").build()).setting());
    assertEquals("autopilot.polling-interval",
        assertThrows(ConfigurationException.class, () -> builder().pollingInterval(Duration.ZERO)).setting());
    assertEquals("autopilot.schema",
        assertThrows(ConfigurationException.class, () -> builder().schema("Robert'); DROP")).setting());
    assertEquals("autopilot.zone",
        assertThrows(ConfigurationException.class, () -> builder().property("autopilot.zone", "Mars/Olympus").build()).setting());
    assertEquals("autopilot.task.report.enabled",
        assertThrows(ConfigurationException.class, () -> builder().property("autopilot.task.report.enabled", "maybe").build()).setting());
  }

  @Test
  void validOverridesAreApplied() {
    Autopilot ap = builder().schedule("report", "*/5 * * * *").enabled("report", false)
        .environment(Map.of("AUTOPILOT_THREADS", "7")).build();
    assertTrue(ap.instanceName().length() > 0);
  }
}
