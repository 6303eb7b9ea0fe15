package dev.autopilot.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.autopilot.Autopilot;
import dev.autopilot.micrometer.AutopilotMetrics;
import dev.autopilot.spi.Task;
import dev.autopilot.spi.Trigger;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * On a database Autopilot has never migrated, Spring binds the meters before the lifecycle starts
 * Autopilot; the runs of the very first moments (the start-up wave) are still counted.
 */
@ExtendWith(PostgresExtension.class)
class MetricsFromFirstStartTest {

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    @Bean
    static Task warmup() {
      return Task.java("first-warmup", ctx -> { }).trigger(Trigger.startup(10)).pack("boot").build();
    }

    @Bean
    MeterRegistry registry() {
      return new SimpleMeterRegistry();
    }
  }

  @Test
  void theStartupWaveOfAFreshDatabaseIsCounted(TestDatabase db) {
    try (ConfigurableApplicationContext ctx = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
        .run("--spring.datasource.url=" + db.jdbcUrl(), "--autopilot.built-in-tasks=false",
            "--autopilot.discovery=false", "--autopilot.metrics.interval=5s")) {
      Autopilot ap = ctx.getBean(Autopilot.class);
      assertThat(ap.awaitBootstrap(Duration.ofSeconds(60)).succeeded()).isTrue();
      MeterRegistry registry = ctx.getBean(MeterRegistry.class);
      AutopilotMetrics metrics = ctx.getBean(AutopilotMetrics.class);
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        ap.flushHistory(Duration.ofSeconds(5));
        metrics.refresh();
        Counter c = registry.find("autopilot.task.completions").tags("task", "first-warmup", "outcome", "succeeded",
            "pack", "boot").counter();
        return c != null && c.count() == 1.0;
      });
    }
  }
}
