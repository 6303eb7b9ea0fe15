package dev.autopilot.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The example application as it ships, on a real PostgreSQL. */
@ExtendWith(PostgresExtension.class)
class SpringBootExampleApplicationTest {

  static final HttpClient HTTP = HttpClient.newHttpClient();

  static HttpResponse<String> send(ConfigurableApplicationContext ctx, String method, String path) throws Exception {
    String port = ctx.getEnvironment().getProperty("local.server.port");
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theBeanTaskRunsAndShowsInHealthAndMetrics(TestDatabase db) throws Exception {
    try (ConfigurableApplicationContext ctx = new SpringApplicationBuilder(SpringBootExampleApplication.class)
        .run("--server.port=0", "--spring.datasource.url=" + db.jdbcUrl(),
            "--autopilot.task.heartbeat.schedule=@every 1s", "--autopilot.metrics.interval=500ms")) {
      await().atMost(Duration.ofSeconds(60))
          .until(() -> send(ctx, "GET", "/heartbeats").body().matches(".*\"count\":([2-9]|\\d\\d+).*"));
      assertThat(send(ctx, "GET", "/actuator/health").body()).contains("\"autopilot\":{\"status\":\"UP\"");
      assertThat(send(ctx, "POST", "/tasks/heartbeat/trigger").body()).contains("executionId");
      await().atMost(Duration.ofSeconds(60)).until(() -> send(ctx, "GET", "/actuator/prometheus").body()
          .contains("autopilot_task_completions_total{engine=\"db-scheduler\",outcome=\"succeeded\",pack=\"example\",task=\"heartbeat\"}"));
      assertThat(send(ctx, "GET", "/tasks").body()).contains("\"name\":\"heartbeat\"").contains("\"schedule\":\"@every 1s\"");
    }
  }
}
