package dev.autopilot.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.Autopilot;
import dev.autopilot.JobQuery;
import dev.autopilot.JobState;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The dashboard in a real headless Chromium against a real cluster. */
@ExtendWith(PostgresExtension.class)
class DashboardBrowserTest {
  static final String SCHEMA = "webui";

  static TestDatabase db;
  static Autopilot autopilot;
  static WebServer web;
  static ChromeDriver browser;

  @BeforeAll
  static void start(TestDatabase database) throws Exception {
    db = database;
    autopilot = Fixture.start(db, SCHEMA);
    Fixture.history(db, SCHEMA, 300, 280); // spread over the last day, for the chart
    Fixture.exec(db, "INSERT INTO " + SCHEMA + ".backups (kind, status, file_path, size_bytes, sha256, started_at,"
        + " finished_at, duration_ms, archived, error) VALUES"
        + " ('daily', 'verified', '/var/backups/app-daily-1.dump', 48234496, repeat('ab', 32), now() - interval '26 hours',"
        + "  now() - interval '26 hours' + interval '41 seconds', 41000, true, null),"
        + " ('hourly', 'failed', null, null, null, now() - interval '2 hours', now() - interval '2 hours', 900, false,"
        + "  'pg_dump: error: connection to server failed'),"
        + " ('hourly', 'verified', '/var/backups/app-hourly-7.dump', 47185920, repeat('cd', 32), now() - interval '1 hour',"
        + "  now() - interval '1 hour' + interval '38 seconds', 38000, false, null)");
    web = AutopilotWeb.create(autopilot).port(0).start();
    browser = Browser.start();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (web != null) {
      web.close();
    }
    if (autopilot != null) {
      autopilot.close();
    }
  }

  /** A wait that looks again when the page re-rendered what it found (the screens refresh every 5 s). */
  static WebDriverWait await(int seconds) {
    WebDriverWait w = new WebDriverWait(browser, Duration.ofSeconds(seconds));
    w.ignoring(StaleElementReferenceException.class);
    return w;
  }

  /**
   * Waits for at least n elements; on a timeout the failure says what the page showed instead
   * (its flash message and the start of the screen's text).
   */
  static void awaitAtLeast(String css, int n) {
    try {
      await(30).until(d -> d.findElements(By.cssSelector(css)).size() >= n);
    } catch (org.openqa.selenium.TimeoutException e) {
      String flash = browser.findElements(By.id("flash")).stream().map(WebElement::getText).findFirst().orElse("");
      String view = browser.findElements(By.id("view")).stream().map(WebElement::getText).findFirst().orElse("");
      throw new AssertionError("waited 30 s for " + n + " of " + css + " at " + browser.getCurrentUrl() + ": found "
          + browser.findElements(By.cssSelector(css)).size() + "; flash '" + flash + "'; screen: "
          + view.substring(0, Math.min(600, view.length())), e);
    }
  }

  /** Clicks what the finder finds, finding it again when a refresh replaced it in between. */
  static void click(java.util.function.Function<WebDriver, WebElement> finder) {
    await(20).until(d -> {
      finder.apply(d).click();
      return true;
    });
  }

  /** @return the text of what the finder finds, found again when a refresh replaced it in between */
  static String text(java.util.function.Function<WebDriver, WebElement> finder) {
    return await(20).until(d -> finder.apply(d).getText());
  }

  static void open(String screen) {
    browser.get(web.url() + "#/" + screen);
  }

  static WebElement taskRow(String task) {
    return await(20).until(d -> {
      List<WebElement> rows = d.findElements(By.cssSelector("#tasks tr[data-task='" + task + "']"));
      return rows.isEmpty() ? null : rows.get(0);
    });
  }

  @Test
  void theTasksScreenShowsTasksOfBothEngines() throws Exception {
    open("tasks");
    assertEquals("pg_cron", text(d -> taskRow(Fixture.SQL_TASK).findElement(By.cssSelector(".engine-cell"))));
    assertEquals("db-scheduler", text(d -> taskRow(Fixture.JAVA_TASK).findElement(By.cssSelector(".engine-cell"))));
    assertEquals("0 3 * * *", taskRow(Fixture.SQL_TASK).findElements(By.tagName("td")).get(3).getText());
    Browser.screenshot(browser, "tasks");
  }

  @Test
  void runNowFromTheTasksScreenRunsTheJobToTheEnd() {
    open("tasks");
    long before = succeeded();
    click(d -> taskRow(Fixture.JAVA_TASK).findElement(By.cssSelector("button[data-action='run']")));
    await(20).until(d -> d.findElement(By.id("flash")).getText().startsWith("Run now: done"));
    Fixture.await(Duration.ofSeconds(30), "the run to finish", () -> {
      autopilot.flushHistory(Duration.ofSeconds(1));
      return succeeded() > before;
    });
    open("jobs?task=" + Fixture.JAVA_TASK + "&state=succeeded");
    WebElement row = await(20).until(d -> {
      List<WebElement> rows = d.findElements(By.cssSelector("#jobs tr[data-state='succeeded']"));
      return rows.isEmpty() ? null : rows.get(0);
    });
    assertTrue(row.getText().contains(Fixture.JAVA_TASK), row.getText());
  }

  @Test
  void pausingAPgCronTaskInThePageSetsItsCronJobInactive() throws Exception {
    open("tasks");
    click(d -> taskRow(Fixture.SQL_TASK).findElement(By.cssSelector("button[data-action='pause']")));
    await(20).until(d -> d.findElement(By.id("flash")).getText().startsWith("Pause: done"));
    assertEquals(List.of(false), cronJobActive(), "cron.job.active of " + Fixture.SQL_TASK);
    await(20).until(d -> taskRow(Fixture.SQL_TASK).findElement(By.cssSelector(".status-cell")).getText().equals("paused"));
    open("cron");
    await(20).until(d -> {
      List<WebElement> r = d.findElements(By.cssSelector("#cron-jobs tr[data-task='" + Fixture.SQL_TASK + "'][data-active='false']"));
      return !r.isEmpty();
    });
    Browser.screenshot(browser, "cron-paused");
    open("tasks");
    click(d -> taskRow(Fixture.SQL_TASK).findElement(By.cssSelector("button[data-action='resume']")));
    await(20).until(d -> d.findElement(By.id("flash")).getText().startsWith("Resume: done"));
    assertEquals(List.of(true), cronJobActive());
  }

  /** cron.job.active of the SQL task's job, read in pg_cron's database. */
  private static List<Boolean> cronJobActive() throws Exception {
    List<Boolean> out = new java.util.ArrayList<>();
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(db.jdbcUrlOf("postgres"));
         java.sql.PreparedStatement ps = c.prepareStatement(
             "SELECT active FROM cron.job WHERE database = ? AND jobname LIKE ?")) {
      ps.setString(1, db.name());
      ps.setString(2, "autopilot:%:" + Fixture.SQL_TASK);
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getBoolean(1));
        }
      }
    }
    return out;
  }

  private static long succeeded() {
    return autopilot.monitor().jobs(JobQuery.all().task(Fixture.JAVA_TASK).states(JobState.SUCCEEDED)).size();
  }

  @Test
  void markupInAnErrorIsShownAsTextAndNeverRuns() {
    String id = autopilot.trigger(Fixture.FAILING_TASK);
    Fixture.await(Duration.ofSeconds(30), "the failing run", () -> {
      autopilot.flushHistory(Duration.ofSeconds(1));
      return autopilot.monitor().jobs(JobQuery.all().task(Fixture.FAILING_TASK)).stream()
          .anyMatch(j -> j.executionId().equals(id) && j.state() == JobState.FAILED);
    });
    open("tasks");
    WebElement error = await(20).until(d -> {
      List<WebElement> e = taskRow(Fixture.FAILING_TASK).findElements(By.cssSelector(".task-error"));
      return e.isEmpty() ? null : e.get(0);
    });
    assertEquals(Fixture.XSS, error.getText());
    assertTrue(error.findElements(By.xpath(".//*")).isEmpty(), "no element made of the message");
    open("jobs?task=" + Fixture.FAILING_TASK);
    WebElement jobError = await(20).until(d -> {
      List<WebElement> e = d.findElements(By.cssSelector("#jobs .job-error"));
      return e.isEmpty() ? null : e.get(0);
    });
    assertTrue(jobError.getText().endsWith(Fixture.XSS), jobError.getText());
    assertTrue(browser.findElements(By.cssSelector("#view img, #view script")).isEmpty());
    assertNull(browser.executeScript("return window.__xss === undefined ? null : window.__xss;"), "the markup ran");
  }

  @Test
  void everyScreenRendersAndIsSavedAsAScreenshot() throws Exception {
    autopilot.trigger(Fixture.FAILING_TASK);
    autopilot.flushHistory(Duration.ofSeconds(5));
    open("overview");
    await(20).until(d -> !d.findElements(By.cssSelector("#chart canvas")).isEmpty());
    assertEquals(2, browser.findElements(By.cssSelector(".counts tr[data-engine]")).size());
    Browser.screenshot(browser, "overview");
    open("jobs");
    awaitAtLeast("#jobs tbody tr", 50);
    assertTrue(text(d -> d.findElement(By.id("jobs-count"))).contains("finished job"));
    Browser.screenshot(browser, "jobs");
    click(d -> d.findElement(By.cssSelector("#jobs tr[data-state='failed'] td a")));
    await(20).until(d -> !d.findElements(By.cssSelector(".timeline li")).isEmpty());
    Browser.screenshot(browser, "job");
    open("cron");
    WebElement cronRow = await(20).until(d -> {
      List<WebElement> r = d.findElements(By.cssSelector("#cron-jobs tr[data-task='" + Fixture.SQL_TASK + "']"));
      return r.isEmpty() ? null : r.get(0);
    });
    assertEquals("true", cronRow.getAttribute("data-active"));
    Browser.screenshot(browser, "cron");
    open("bootstrap");
    await(20).until(d -> !d.findElements(By.cssSelector("#steps li, .card.empty")).isEmpty());
    Browser.screenshot(browser, "bootstrap");
    open("backups");
    await(20).until(d -> d.findElements(By.cssSelector("#backups tbody tr")).size() == 3);
    Browser.screenshot(browser, "backups");
    open("search");
    await(20).until(d -> !d.findElements(By.cssSelector("#hits")).isEmpty());
    Browser.screenshot(browser, "search");
    for (String s : List.of("overview", "tasks", "jobs", "job", "cron", "bootstrap", "backups", "search")) {
      Path p = Browser.SCREENSHOTS.resolve(s + ".png");
      if (!s.equals("tasks")) {
        assertTrue(Files.size(p) > 10_000, p + " looks empty");
      }
    }
  }
}
