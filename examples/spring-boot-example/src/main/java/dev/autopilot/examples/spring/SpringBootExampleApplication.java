package dev.autopilot.examples.spring;

import dev.autopilot.Autopilot;
import dev.autopilot.TaskStatus;
import dev.autopilot.spi.RetryPolicy;
import dev.autopilot.spi.Task;
import dev.autopilot.testing.PostgresCluster;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot application that gets Autopilot from the starter: the application's DataSource,
 * one {@code @Bean} task, Actuator health ({@code /actuator/health}) and Prometheus metrics
 * ({@code /actuator/prometheus}), plus two endpoints of its own.
 *
 * <p>Run it with {@code spring.datasource.url} pointing at a PostgreSQL, or without: it then
 * starts a throwaway local cluster (autopilot-testing) for the run.
 */
@SpringBootApplication
@RestController
public class SpringBootExampleApplication {

  /**
   * @param args Spring Boot arguments, for example {@code --server.port=8081}
   */
  public static void main(String[] args) {
    boolean configured = System.getenv("SPRING_DATASOURCE_URL") != null
        || System.getProperty("spring.datasource.url") != null
        || List.of(args).stream().anyMatch(a -> a.startsWith("--spring.datasource.url="));
    if (configured) {
      SpringApplication.run(SpringBootExampleApplication.class, args);
      return;
    }
    PostgresCluster cluster = PostgresCluster.builder().build().start();
    String url = cluster.createDatabase("spring_example");
    SpringApplication app = new SpringApplication(SpringBootExampleApplication.class);
    app.setDefaultProperties(Map.of("spring.datasource.url", url));
    app.run(args).addApplicationListener(e -> {
      if (e instanceof org.springframework.context.event.ContextClosedEvent) {
        cluster.close();
      }
    });
  }

  /**
   * A task as a bean: every 10 seconds it records a heartbeat row. The schedule can be changed
   * ({@code autopilot.task.heartbeat.schedule}) or the task paused
   * ({@code autopilot.task.heartbeat.enabled=false}) in application.properties. The method is
   * static because this class also needs the Autopilot, which needs the Task beans first.
   *
   * @return the task
   */
  @Bean
  static Task heartbeat() {
    return Task.java("heartbeat", ctx -> {
      try (Connection c = ctx.dataSource().getConnection(); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS example_heartbeats (at timestamptz NOT NULL DEFAULT now())");
        s.execute("INSERT INTO example_heartbeats DEFAULT VALUES");
      }
    }).cron("@every 10s").retry(RetryPolicy.exponential(3, Duration.ofSeconds(1))).pack("example")
        .description("records a heartbeat row").build();
  }

  private final Autopilot autopilot;
  private final DataSource dataSource;

  SpringBootExampleApplication(Autopilot autopilot, DataSource dataSource) {
    this.autopilot = autopilot;
    this.dataSource = dataSource;
  }

  /** @return every task with its engine, schedule and last outcome */
  @GetMapping("/tasks")
  List<TaskStatus> tasks() {
    return autopilot.monitor().tasks();
  }

  /**
   * @param name a task name
   * @return the execution id of the run just queued
   */
  @PostMapping("/tasks/{name}/trigger")
  Map<String, String> trigger(@PathVariable String name) {
    return Map.of("executionId", autopilot.trigger(name));
  }

  /** @return how many heartbeats were recorded (0 before the first run created the table) */
  @GetMapping("/heartbeats")
  Map<String, Long> heartbeats() throws Exception {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      try (var rs = s.executeQuery("SELECT to_regclass('example_heartbeats') IS NULL")) {
        rs.next();
        if (rs.getBoolean(1)) {
          return Map.of("count", 0L);
        }
      }
      try (var rs = s.executeQuery("SELECT count(*) FROM example_heartbeats")) {
        rs.next();
        return Map.of("count", rs.getLong(1));
      }
    }
  }
}
