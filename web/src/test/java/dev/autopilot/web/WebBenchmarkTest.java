package dev.autopilot.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autopilot.Autopilot;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Jobs API latency and the dashboard's time to first paint at 10k and 1M job-history rows.
 * Run with {@code -Dgroups=benchmark -DexcludedGroups=none}; numbers go to
 * target/benchmark-web.txt. Timings depend on the machine (shared here); compare the two sizes.
 */
@Tag("benchmark")
@ExtendWith(PostgresExtension.class)
class WebBenchmarkTest {
  static final String SCHEMA = "webbench";
  static final int ROUNDS = 25;

  @Test
  void jobsPageStaysFastFromTenThousandToAMillionHistoryRows(TestDatabase db) throws Exception {
    List<String> report = new ArrayList<>();
    try (Autopilot ap = Fixture.start(db, SCHEMA); WebServer web = AutopilotWeb.create(ap).port(0).start()) {
      ChromeDriver browser = Browser.start();
      try {
        Map<String, double[]> small = measure(db, web, browser, 10_000, report);
        Map<String, double[]> large = measure(db, web, browser, 1_000_000, report);
        report.add("");
        report.add("ratio 1M / 10k (p50):");
        small.forEach((k, v) -> report.add(String.format("  %-34s %6.2f", k, large.get(k)[0] / Math.max(0.01, v[0]))));
      } finally {
        browser.quit();
      }
    }
    Path out = Path.of("target", "benchmark-web.txt");
    Files.write(out, report);
    report.forEach(System.out::println);
  }

  private Map<String, double[]> measure(TestDatabase db, WebServer web, ChromeDriver browser, int rows, List<String> report)
      throws Exception {
    Fixture.exec(db, "TRUNCATE " + SCHEMA + ".job_history");
    long t0 = System.nanoTime();
    // 40 tasks, both engines, 4% failed with an error text, spread over 14 days
    Fixture.exec(db, "INSERT INTO " + SCHEMA + ".job_history (task_name, execution_id, engine, outcome, attempt, instance,"
        + " scheduled_at, started_at, finished_at, duration_ms, error_class, error_message)"
        + " SELECT 'task-' || (i % 40), 'run-' || i, CASE WHEN i % 2 = 0 THEN 'pg_cron' ELSE 'db-scheduler' END,"
        + " CASE WHEN i % 25 = 0 THEN 'failed' WHEN i % 97 = 0 THEN 'skipped' ELSE 'succeeded' END, 1, 'bench-' || (i % 3),"
        + " t, t, t + interval '40 ms', 40, CASE WHEN i % 25 = 0 THEN 'java.io.IOException' END,"
        + " CASE WHEN i % 25 = 0 THEN 'connection reset while writing batch ' || i END"
        + " FROM (SELECT i, now() - (" + rows + " - i) * (interval '14 days' / " + rows + ") AS t"
        + " FROM generate_series(1, " + rows + ") i) s");
    Fixture.exec(db, "ANALYZE " + SCHEMA + ".job_history");
    report.add(String.format("== %,d history rows (loaded in %.1f s) ==", rows, (System.nanoTime() - t0) / 1e9));
    Client c = new Client(web.url());
    JsonNode first = c.get("api/jobs?limit=50").json();
    assertEquals(50, first.get("items").size());
    if (rows > Store.COUNT_CAP) {
      assertTrue(first.get("totalCapped").asBoolean());
      long estimate = first.get("totalEstimate").asLong();
      assertTrue(estimate > rows / 2 && estimate < rows * 2, "planner estimate of " + rows + ": " + estimate);
    }
    String deepCursor = null;
    String cursor = null;
    for (int p = 0; p < 20; p++) {
      cursor = c.get("api/jobs?limit=50" + (cursor == null ? "" : "&before=" + cursor)).json().get("next").asText();
    }
    deepCursor = cursor;
    long someId = first.get("items").get(10).get("id").asLong();
    Map<String, String> calls = new LinkedHashMap<>();
    calls.put("jobs: first page", "api/jobs?limit=50");
    calls.put("jobs: page 21 (cursor)", "api/jobs?limit=50&before=" + deepCursor);
    calls.put("jobs: state=failed", "api/jobs?limit=50&state=failed");
    calls.put("jobs: task filter", "api/jobs?limit=50&task=task-7");
    calls.put("jobs: task without runs", "api/jobs?limit=50&task=never-ran");
    calls.put("jobs: engine=pg_cron", "api/jobs?limit=50&engine=pg_cron");
    calls.put("jobs: last hour", "api/jobs?limit=50&from=" + java.time.Instant.now().minusSeconds(3600));
    calls.put("jobs: error text 'batch 12'", "api/jobs?limit=50&q=batch%2012");
    calls.put("jobs: error text, no match", "api/jobs?limit=50&q=no-such-error-text");
    calls.put("job page", "api/jobs/" + someId);
    calls.put("tasks", "api/tasks");
    calls.put("overview", "api/overview");
    calls.put("chart 24h", "api/chart?range=24h");
    calls.put("chart 7d", "api/chart?range=7d");
    Map<String, double[]> result = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : calls.entrySet()) {
      double[] ms = new double[ROUNDS];
      c.get(e.getValue()); // warm
      for (int i = 0; i < ROUNDS; i++) {
        long s = System.nanoTime();
        Client.Response r = c.get(e.getValue());
        ms[i] = (System.nanoTime() - s) / 1e6;
        assertEquals(200, r.status(), e.getKey() + ": " + r.body());
      }
      Arrays.sort(ms);
      double[] p = {ms[ROUNDS / 2], ms[(int) Math.ceil(ROUNDS * 0.95) - 1]};
      result.put(e.getKey(), p);
      report.add(String.format("  %-34s p50 %8.1f ms   p95 %8.1f ms", e.getKey(), p[0], p[1]));
    }
    double[] paint = new double[5];
    double[] table = new double[5];
    for (int i = 0; i < paint.length; i++) {
      browser.get("about:blank");
      browser.get(web.url() + "#/jobs");
      new WebDriverWait(browser, java.time.Duration.ofSeconds(60))
          .until(d -> d.findElements(By.cssSelector("#jobs tbody tr")).size() >= 50);
      paint[i] = ((Number) browser.executeScript("var e = performance.getEntriesByName('first-contentful-paint')[0];"
          + " return e ? e.startTime : -1;")).doubleValue();
      table[i] = ((Number) browser.executeScript("return performance.now();")).doubleValue();
    }
    Arrays.sort(paint);
    Arrays.sort(table);
    assertTrue(paint[2] > 0, "first-contentful-paint recorded");
    result.put("browser: first contentful paint", new double[] {paint[2], paint[4]});
    result.put("browser: jobs table shown (upper bound)", new double[] {table[2], table[4]});
    report.add(String.format("  %-34s p50 %8.1f ms   max %8.1f ms", "browser: first contentful paint", paint[2], paint[4]));
    report.add(String.format("  %-34s p50 %8.1f ms   max %8.1f ms", "browser: jobs table shown (<=)", table[2], table[4]));
    return result;
  }
}
