package dev.autopilot.spring.boot;

import dev.autopilot.Autopilot;
import dev.autopilot.TaskStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * The Actuator health contributor {@code autopilot}: UP while this instance's scheduler runs,
 * DOWN before it started and after it stopped. Its details are the alive flag, schema version,
 * scheduler state, pg_cron use and the reason, the failing tasks, and every task with its engine,
 * schedule, enabled flag, last outcome and next run; Actuator shows them only where the health
 * endpoint shows details ({@code management.endpoint.health.show-details}).
 */
public class AutopilotHealthIndicator extends AbstractHealthIndicator {

  private final Autopilot autopilot;

  /**
   * @param autopilot the Autopilot to report on
   */
  public AutopilotHealthIndicator(Autopilot autopilot) {
    super("Autopilot health check failed");
    this.autopilot = autopilot;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    dev.autopilot.Health h = autopilot.monitor().health();
    builder.status(h.alive() ? org.springframework.boot.actuate.health.Status.UP
            : org.springframework.boot.actuate.health.Status.DOWN)
        .withDetail("alive", h.alive())
        .withDetail("instance", autopilot.instanceName())
        .withDetail("schemaVersion", h.schemaVersion())
        .withDetail("schedulerRunning", h.schedulerRunning())
        .withDetail("pgCron", h.pgCronUsable())
        .withDetail("pgCronReason", h.pgCronReason() == null ? "" : h.pgCronReason())
        .withDetail("failingTasks", h.failingTasks())
        .withDetail("tasks", tasks(autopilot.monitor().tasks()));
  }

  private static List<Map<String, Object>> tasks(List<TaskStatus> tasks) {
    return tasks.stream().map(t -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", t.name());
      m.put("engine", t.engine().label());
      m.put("schedule", t.schedule());
      m.put("enabled", t.enabled());
      m.put("lastOutcome", t.lastOutcome() == null ? null : t.lastOutcome().label());
      m.put("lastRun", t.lastRun() == null ? null : t.lastRun().toString());
      m.put("nextRun", t.nextRun() == null ? null : t.nextRun().toString());
      return m;
    }).toList();
  }
}
