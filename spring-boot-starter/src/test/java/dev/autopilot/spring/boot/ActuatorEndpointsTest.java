package dev.autopilot.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import dev.autopilot.Autopilot;
import dev.autopilot.micrometer.AutopilotMetrics;
import dev.autopilot.spi.RetryPolicy;
import dev.autopilot.spi.Task;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * A whole Spring Boot web application (Tomcat, Actuator, Prometheus registry) on a real
 * PostgreSQL: /actuator/health and /actuator/prometheus as an operator sees them.
 */
@ExtendWith(PostgresExtension.class)
class ActuatorEndpointsTest {

  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final ObjectMapper JSON = new ObjectMapper();

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    @Bean
    Task ok() {
      return Task.java("web-ok", ctx -> { }).pack("shop").build();
    }

    @Bean
    Task boom() {
      return Task.java("web-boom", ctx -> {
        throw new IllegalStateException("card declined");
      }).retry(RetryPolicy.none()).pack("shop").build();
    }

    // Spring Security is on this module's test class path (for DashboardMountTest): open here
    @Bean
    org.springframework.security.web.SecurityFilterChain open(
        org.springframework.security.config.annotation.web.builders.HttpSecurity http) throws Exception {
      return http.authorizeHttpRequests(a -> a.anyRequest().permitAll()).build();
    }
  }

  static ConfigurableApplicationContext start(TestDatabase db, String... extra) {
    return new SpringApplicationBuilder(App.class).properties(Map.of(
            "server.port", "0",
            "spring.datasource.url", db.jdbcUrl(),
            "management.endpoints.web.exposure.include", "health,prometheus",
            "autopilot.built-in-tasks", "false",
            "autopilot.discovery", "false",
            "autopilot.polling-interval", "200ms",
            "autopilot.metrics.interval", "200ms",
            "autopilot.metrics.gauge-cache", "0s"))
        .run(extra);
  }

  static HttpResponse<String> get(ConfigurableApplicationContext ctx, String path) throws Exception {
    String port = ctx.getEnvironment().getProperty("local.server.port");
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static double sample(String scrape, String metric, String labels) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric + "{" + labels + "}") + " (\\S+)$").matcher(scrape);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  @Test
  void healthIsUpWithAutopilotDetailsAndDownOnceTheSchedulerStopped(TestDatabase db) throws Exception {
    try (ConfigurableApplicationContext ctx = start(db, "--management.endpoint.health.show-details=always",
        "--autopilot.instance-name=web-a")) {
      HttpResponse<String> r = get(ctx, "/actuator/health");
      assertThat(r.statusCode()).isEqualTo(200);
      JsonNode autopilot = JSON.readTree(r.body()).path("components").path("autopilot");
      assertThat(autopilot.path("status").asText()).isEqualTo("UP");
      JsonNode details = autopilot.path("details");
      assertThat(details.path("alive").asBoolean()).isTrue();
      assertThat(details.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(50);
      assertThat(details.has("pgCron")).isTrue();
      assertThat(details.path("pgCronReason").asText()).isNotBlank();
      assertThat(details.path("tasks").findValuesAsText("name")).contains("web-ok", "web-boom");

      ctx.getBean(Autopilot.class).close();
      HttpResponse<String> down = get(ctx, "/actuator/health");
      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(JSON.readTree(down.body()).path("components").path("autopilot").path("status").asText())
          .isEqualTo("DOWN");
    }
  }

  @Test
  void taskDetailsAreHiddenWhereTheEndpointShowsNoDetails(TestDatabase db) throws Exception {
    try (ConfigurableApplicationContext ctx = start(db, "--management.endpoint.health.show-details=never",
        "--management.endpoint.health.show-components=always", "--autopilot.instance-name=web-b")) {
      HttpResponse<String> r = get(ctx, "/actuator/health");
      JsonNode autopilot = JSON.readTree(r.body()).path("components").path("autopilot");
      assertThat(autopilot.path("status").asText()).isEqualTo("UP");
      assertThat(autopilot.has("details")).as(r.body()).isFalse();
      assertThat(r.body()).doesNotContain("web-ok");
    }
  }

  @Test
  void prometheusScrapeHasCompletionsByOutcomeAndABacklogThatDrains(TestDatabase db) throws Exception {
    try (ConfigurableApplicationContext ctx = start(db, "--autopilot.instance-name=web-c")) {
      Autopilot ap = ctx.getBean(Autopilot.class);
      AutopilotMetrics springMetrics = ctx.getBean(AutopilotMetrics.class);
      springMetrics.refresh(); // sets its history watermark now that the schema exists
      SimpleMeterRegistry plain = new SimpleMeterRegistry();
      try (AutopilotMetrics withoutSpring = AutopilotMetrics.bindTo(ap, plain)) {
        ap.trigger("web-ok");
        ap.trigger("web-ok");
        ap.trigger("web-boom");
        String ok = "engine=\"db-scheduler\",outcome=\"succeeded\",pack=\"shop\",task=\"web-ok\"";
        String failed = "engine=\"db-scheduler\",outcome=\"failed\",pack=\"shop\",task=\"web-boom\"";
        String[] scrape = new String[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> {
          scrape[0] = get(ctx, "/actuator/prometheus").body();
          return sample(scrape[0], "autopilot_task_completions_total", ok) == 2.0
              && sample(scrape[0], "autopilot_task_completions_total", failed) == 1.0;
        });
        assertThat(scrape[0]).contains("autopilot_task_duration_seconds_count{engine=\"db-scheduler\",pack=\"shop\",task=\"web-ok\"} 2");
        assertThat(sample(scrape[0], "autopilot_task_backlog", "engine=\"db-scheduler\",pack=\"shop\",task=\"web-ok\"")).isZero();

        // the same numbers without Spring
        withoutSpring.refresh();
        assertThat(count(plain, "web-ok", "succeeded")).isEqualTo(2.0);
        assertThat(count(plain, "web-boom", "failed")).isEqualTo(1.0);

        // runs of a task no running instance has, queued from outside with db-scheduler's own
        // client: due, never started, until an instance with the task starts
        Task orphanTask = Task.java("web-orphan", c -> { }).build();
        SchedulerClient queue = SchedulerClient.Builder.create(ap.dataSource())
            .tableName("autopilot.scheduled_tasks").build();
        queue.scheduleIfNotExists(new TaskInstance<Void>("web-orphan", "queued-1"), Instant.now());
        queue.scheduleIfNotExists(new TaskInstance<Void>("web-orphan", "queued-2"), Instant.now());
        String orphan = "engine=\"db-scheduler\",pack=\"unknown\",task=\"web-orphan\"";
        await().atMost(Duration.ofSeconds(60)).until(() -> {
          scrape[0] = get(ctx, "/actuator/prometheus").body();
          return sample(scrape[0], "autopilot_task_backlog", orphan) == 2.0;
        });
        Thread.sleep(1000);
        double lag = sample(get(ctx, "/actuator/prometheus").body(), "autopilot_task_lag_seconds", orphan);
        assertThat(lag).isGreaterThanOrEqualTo(1.0);

        try (Autopilot worker = Autopilot.builder(ap.dataSource()).instanceName("web-worker").builtInTasks(false)
            .discoverProviders(false).environment(Map.of()).pollingInterval(Duration.ofMillis(200))
            .task(orphanTask).build().start()) {
          await().atMost(Duration.ofSeconds(60)).until(() -> {
            scrape[0] = get(ctx, "/actuator/prometheus").body();
            return sample(scrape[0], "autopilot_task_backlog", orphan) == 0.0;
          });
          assertThat(sample(scrape[0], "autopilot_task_lag_seconds", orphan)).isZero();
          await().atMost(Duration.ofSeconds(60)).until(() -> sample(get(ctx, "/actuator/prometheus").body(),
              "autopilot_task_completions_total",
              "engine=\"db-scheduler\",outcome=\"succeeded\",pack=\"unknown\",task=\"web-orphan\"") == 2.0);
          withoutSpring.refresh();
          assertThat(count(plain, "web-orphan", "succeeded")).isEqualTo(2.0);
        }
      }
    }
  }

  static double count(SimpleMeterRegistry r, String task, String outcome) {
    Counter c = r.find("autopilot.task.completions").tags("task", task, "outcome", outcome).counter();
    return c == null ? 0 : c.count();
  }
}
