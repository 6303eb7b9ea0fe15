package dev.autopilot.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.autopilot.Autopilot;
import dev.autopilot.Engine;
import dev.autopilot.spi.Task;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** pg_cron itself fires two SQL tasks; their imported runs are counted with engine pg_cron. */
@Tag("slow")
@ExtendWith(PostgresExtension.class)
class PgCronMetricsTest {

  @Test
  void pgCronRunsAreCountedByOutcomeAsTheyAreImported(TestDatabase db) throws Exception {
    assumeTrue(db.pgCronAvailable(), "pg_cron not installed");
    try (Autopilot ap = Autopilot.builder(db.dataSource()).instanceName("cron-m").builtInTasks(false)
        .discoverProviders(false).environment(Map.of()).property("autopilot.pg-cron.import-interval", "500ms")
        .task(Task.sql("metrics-sql-ok", "SELECT 1").cron("* * * * *").pack("dba").build())
        // no retries: a failed pg_cron run is then final (with retries left it is imported as retrying)
        .task(Task.sql("metrics-sql-boom", "SELECT 1 / 0").cron("* * * * *").pack("dba")
            .retry(dev.autopilot.spi.RetryPolicy.none()).build())
        .build()) {
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      try (AutopilotMetrics metrics = AutopilotMetrics.builder(ap).interval(Duration.ofMillis(500)).build()) {
        metrics.bindTo(registry);
        ap.start();
        assertEquals(Engine.PG_CRON, ap.monitor().task("metrics-sql-ok").orElseThrow().engine());
        AutopilotMetricsTest.await("a pg_cron run of each task counted", () -> {
          metrics.refresh();
          return AutopilotMetricsTest.count(registry, "metrics-sql-ok", "succeeded") >= 1
              && AutopilotMetricsTest.count(registry, "metrics-sql-boom", "failed") >= 1;
        }, Duration.ofSeconds(90));
        String scrape = registry.scrape();
        assertTrue(scrape.contains("autopilot_task_completions_total{engine=\"pg_cron\",outcome=\"succeeded\",pack=\"dba\","
            + "task=\"metrics-sql-ok\"}"), scrape);
        assertTrue(scrape.contains("autopilot_task_completions_total{engine=\"pg_cron\",outcome=\"failed\",pack=\"dba\","
            + "task=\"metrics-sql-boom\"}"), scrape);
        assertTrue(scrape.contains("autopilot_task_last_success_age_seconds{engine=\"pg_cron\",pack=\"dba\","
            + "task=\"metrics-sql-ok\"}"), scrape);
      }
    }
  }
}
