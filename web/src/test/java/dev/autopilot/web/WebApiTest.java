package dev.autopilot.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.autopilot.Autopilot;
import dev.autopilot.JobQuery;
import dev.autopilot.JobState;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The JSON API against a real cluster: both engines, paging, filters, actions, sign-in, escaping. */
@ExtendWith(PostgresExtension.class)
class WebApiTest {
  static final String SCHEMA = "webapi";
  static final String ADMIN_TOKEN = "admin-token-0123456789abcdef";
  static final String VIEWER_TOKEN = "viewer-token-0123456789abcdef";
  static final String PASSWORD = "s3cret-passw0rd";

  static TestDatabase db;
  static Autopilot autopilot;
  static WebServer web;

  @BeforeAll
  static void start(TestDatabase database) throws Exception {
    db = database;
    autopilot = Fixture.start(db, SCHEMA);
    Fixture.history(db, SCHEMA, 120);
    web = AutopilotWeb.create(autopilot).port(0).start();
  }

  @AfterAll
  static void stop() {
    if (web != null) {
      web.close();
    }
    if (autopilot != null) {
      autopilot.close();
    }
  }

  @Test
  void tasksOfBothEnginesComeWithTheirEngineAndWhy() {
    JsonNode tasks = new Client(web.url()).get("api/tasks").json();
    JsonNode sql = find(tasks, Fixture.SQL_TASK);
    JsonNode java = find(tasks, Fixture.JAVA_TASK);
    assertEquals("pg_cron", sql.get("engine").asText());
    assertTrue(sql.get("engineReason").asText().contains("pg_cron"), sql.toString());
    assertEquals("0 3 * * *", sql.get("schedule").asText());
    assertEquals("db-scheduler", java.get("engine").asText());
    assertTrue(java.get("nextRun").asText().startsWith("20"), java.toString());
    JsonNode overview = new Client(web.url()).get("api/overview").json();
    assertEquals(1, overview.get("tasksByEngine").get("pg_cron").asInt());
    JsonNode instance = overview.get("instances").get(0);
    assertEquals("web-host", instance.get("name").asText());
    assertTrue(instance.get("alive").asBoolean(), instance.toString());
    assertEquals(3, overview.get("tasksByEngine").get("db-scheduler").asInt());
    assertEquals(60, overview.get("counts").get("pg_cron").get("succeeded").asInt() + overview.get("counts").get("pg_cron")
        .get("failed").asInt());
  }

  @Test
  void jobsArePagedOnTheServerWithoutGapsOrOverlap() {
    Client c = new Client(web.url());
    List<Long> ids = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonNode page = c.get("api/jobs?state=succeeded,failed&task=seeded-sql&limit=25"
          + (cursor == null ? "" : "&before=" + cursor)).json();
      page.get("items").forEach(j -> ids.add(j.get("id").asLong()));
      assertEquals(60, page.get("total").asInt());
      cursor = page.get("next").isNull() ? null : page.get("next").asText();
      pages++;
    } while (cursor != null);
    assertEquals(3, pages);
    assertEquals(60, ids.size());
    assertEquals(60, new HashSet<>(ids).size(), "no job twice");
    for (int i = 1; i < ids.size(); i++) {
      assertTrue(ids.get(i) < ids.get(i - 1), "newest first: " + ids);
    }
  }

  @Test
  void jobsAreFilteredByStateEngineTimeAndErrorText() {
    Client c = new Client(web.url());
    JsonNode failedCron = c.get("api/jobs?state=failed&engine=pg_cron&limit=500").json();
    assertEquals(12, failedCron.get("items").size()); // every 10th seeded row fails, all of them even (pg_cron)
    failedCron.get("items").forEach(j -> {
      assertEquals("failed", j.get("state").asText());
      assertEquals("pg_cron", j.get("engine").asText());
    });
    JsonNode text = c.get("api/jobs?q=ROW%2030&limit=500").json();
    assertEquals(1, text.get("items").size(), text.toString());
    assertEquals("disk quota exceeded on row 30", text.get("items").get(0).get("error").asText());
    JsonNode java = c.get("api/jobs?task=seeded-java&limit=500").json().get("items");
    assertEquals(60, java.size());
    String from = java.get(19).get("finishedAt").asText();
    String to = java.get(9).get("finishedAt").asText();
    JsonNode range = c.get("api/jobs?task=seeded-java&from=" + from + "&to=" + to + "&limit=500").json().get("items");
    List<Long> ids = new ArrayList<>();
    range.forEach(j -> ids.add(j.get("id").asLong()));
    List<Long> expected = new ArrayList<>();
    for (int i = 10; i <= 19; i++) {
      expected.add(java.get(i).get("id").asLong());
    }
    assertEquals(expected, ids, "from is inclusive, to exclusive");
    Client.Response bad = c.get("api/jobs?state=exploded");
    assertEquals(400, bad.status());
    assertTrue(bad.json().get("error").asText().startsWith("state: unknown job state 'exploded'"), bad.body());
    assertEquals(400, c.get("api/jobs?from=yesterday").status());
  }

  @Test
  void aJobPageShowsItsAttempts() throws Exception {
    long id;
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO webapi.job_history (task_name, execution_id, engine, outcome, attempt, instance, started_at,"
          + " finished_at, error_message) VALUES"
          + " ('retried', 'r-1', 'db-scheduler', 'retrying', 1, 'i1', now() - interval '3 min', now() - interval '3 min', 'first'),"
          + " ('retried', 'r-1', 'db-scheduler', 'retrying', 2, 'i2', now() - interval '2 min', now() - interval '2 min', 'second'),"
          + " ('retried', 'r-1', 'db-scheduler', 'succeeded', 3, 'i1', now() - interval '1 min', now() - interval '1 min', null)");
      try (ResultSet rs = s.executeQuery("SELECT id FROM webapi.job_history WHERE task_name = 'retried' AND attempt = 2")) {
        rs.next();
        id = rs.getLong(1);
      }
    }
    JsonNode d = new Client(web.url()).get("api/jobs/" + id).json();
    assertEquals("i2", d.get("job").get("instance").asText());
    List<String> attempts = new ArrayList<>();
    d.get("attempts").forEach(a -> attempts.add(a.get("attempt").asInt() + ":" + a.get("state").asText()));
    assertEquals(List.of("1:retrying", "2:retrying", "3:succeeded"), attempts);
    assertEquals(404, new Client(web.url()).get("api/jobs/999999999").status());
  }

  @Test
  void runNowRunsTheTaskAndRecordsWhoDidIt() throws Exception {
    Client c = new Client(web.url()).session();
    Client.Response r = c.action("api/tasks/" + Fixture.JAVA_TASK + "/run");
    assertEquals(200, r.status(), r.body());
    String executionId = r.json().get("executionId").asText();
    Fixture.await(Duration.ofSeconds(30), "the triggered run in history", () -> {
      autopilot.flushHistory(Duration.ofSeconds(1));
      return autopilot.monitor().jobs(JobQuery.all().task(Fixture.JAVA_TASK)).stream()
          .anyMatch(j -> j.executionId().equals(executionId) && j.state() == JobState.SUCCEEDED);
    });
    List<String> audit = audit("run");
    assertTrue(audit.contains("local|admin|run|" + Fixture.JAVA_TASK + "|done|" + executionId), audit.toString());
    assertEquals(404, c.action("api/tasks/no-such-task/run").status());
  }

  @Test
  void actionsNeedTheSessionsCsrfTokenAndTheSameOrigin() {
    Client c = new Client(web.url()).session();
    String token = c.csrf;
    c.csrf = null;
    assertEquals(403, c.action("api/tasks/" + Fixture.JAVA_TASK + "/run").status(), "no CSRF header");
    c.csrf = "forged";
    assertEquals(403, c.action("api/tasks/" + Fixture.JAVA_TASK + "/run").status(), "wrong CSRF header");
    c.csrf = token;
    Client.Response cross = c.post("api/tasks/" + Fixture.JAVA_TASK + "/run", "{}", "Origin", "http://evil.example");
    assertEquals(403, cross.status());
    assertTrue(cross.json().get("error").asText().contains("cross-origin"), cross.body());
    Client.Response get = new Client(web.url()).get("api/tasks/" + Fixture.JAVA_TASK + "/run");
    assertEquals(404, get.status(), "a GET never acts");
    assertTrue(get.json().get("error").asText().contains("actions need POST"), get.body());
  }

  @Test
  void withoutSignInOnlyLocalhostHostNamesAreAnswered() throws Exception {
    try (Socket s = new Socket("127.0.0.1", web.port())) {
      OutputStream out = s.getOutputStream();
      out.write(("GET /api/session HTTP/1.1\r\nHost: rebound.evil.example\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(answer.startsWith("HTTP/1.1 403"), answer);
    }
  }

  @Test
  void theReadOnlyRoleAndTheReadOnlyModeAreRefusedActions() throws Exception {
    WebAuth auth = WebAuth.none().withToken("admin-bot", ADMIN_TOKEN, Role.ADMIN)
        .withToken("viewer-bot", VIEWER_TOKEN, Role.READ_ONLY);
    try (WebServer w = AutopilotWeb.create(autopilot).port(0).auth(auth).start()) {
      Client viewer = new Client(w.url()).bearer(VIEWER_TOKEN).session();
      assertEquals(200, viewer.get("api/tasks").status());
      Client.Response refused = viewer.action("api/tasks/" + Fixture.JAVA_TASK + "/run");
      assertEquals(403, refused.status(), refused.body());
      assertTrue(audit("run").contains("viewer-bot|read-only|run|" + Fixture.JAVA_TASK + "|refused|user 'viewer-bot' has"
          + " the read-only role"), audit("run").toString());
      Client admin = new Client(w.url()).bearer(ADMIN_TOKEN).session();
      assertEquals(200, admin.action("api/tasks/" + Fixture.JAVA_TASK + "/run").status());
    }
    try (WebServer w = AutopilotWeb.create(autopilot).port(0).readOnly(true).start()) {
      Client local = new Client(w.url()).session();
      assertFalse(local.get("api/session").json().get("canAct").asBoolean());
      Client.Response refused = local.action("api/tasks/" + Fixture.JAVA_TASK + "/run");
      assertEquals(403, refused.status());
      assertEquals("the dashboard is read-only", refused.json().get("error").asText());
    }
  }

  @Test
  void boundOffLoopbackEveryRequestMustSignIn() {
    IllegalStateException noAuth = assertThrows(IllegalStateException.class,
        () -> AutopilotWeb.create(autopilot).bind("0.0.0.0").port(0).start());
    assertTrue(noAuth.getMessage().contains("sign-in is required"), noAuth.getMessage());
    WebAuth auth = WebAuth.none().withUser("ops", PASSWORD, Role.ADMIN).withToken("ci", ADMIN_TOKEN, Role.READ_ONLY);
    try (WebServer w = AutopilotWeb.create(autopilot).bind("0.0.0.0").port(0).auth(auth).start()) {
      URI local = URI.create("http://127.0.0.1:" + w.port() + "/");
      Client anonymous = new Client(local);
      Client.Response r = anonymous.get("api/tasks");
      assertEquals(401, r.status());
      assertNotNull(r.raw().headers().firstValue("WWW-Authenticate").orElse(null));
      assertEquals(401, anonymous.get("api/jobs").status());
      assertEquals(401, new Client(local).bearer("wrong-token-0123456789").get("api/tasks").status());
      assertEquals(401, new Client(local).basic("ops", "wrong-password").get("api/tasks").status());
      assertEquals(200, new Client(local).basic("ops", PASSWORD).get("api/tasks").status());
      assertEquals(200, new Client(local).bearer(ADMIN_TOKEN).get("api/tasks").status());
      assertEquals(200, anonymous.get("").status(), "the page itself (with its sign-in form) is public");
      // the sign-in form: a session cookie, then the API answers
      Client form = new Client(local);
      assertEquals(401, form.post("api/login", "{\"user\":\"ops\",\"password\":\"nope\"}").status());
      Client.Response in = form.post("api/login", "{\"user\":\"ops\",\"password\":\"" + PASSWORD + "\"}");
      assertEquals(200, in.status(), in.body());
      assertEquals("ops", form.get("api/session").json().get("user").asText());
      assertEquals(200, form.get("api/tasks").status());
      // no secret in any answer
      Client admin = new Client(local).basic("ops", PASSWORD).session();
      for (String path : List.of("api/session", "api/overview", "api/tasks", "api/jobs", "api/cron", "api/bootstrap",
          "api/backups", "api/actions", "api/chart?range=7d", "")) {
        String body = admin.get(path).body();
        for (String secret : List.of(PASSWORD, ADMIN_TOKEN, "password=")) {
          assertFalse(body.contains(secret), path + " shows a secret");
        }
      }
    }
  }

  @Test
  void markupInATasksErrorComesBackEscaped() {
    String id = autopilot.trigger(Fixture.FAILING_TASK);
    Fixture.await(Duration.ofSeconds(30), "the failing run in history", () -> {
      autopilot.flushHistory(Duration.ofSeconds(1));
      return autopilot.monitor().jobs(JobQuery.all().task(Fixture.FAILING_TASK)).stream()
          .anyMatch(j -> j.executionId().equals(id) && j.state() == JobState.FAILED);
    });
    Client c = new Client(web.url());
    for (String path : List.of("api/tasks", "api/jobs?task=" + Fixture.FAILING_TASK, "api/overview")) {
      Client.Response r = c.get(path);
      assertFalse(r.body().contains("<"), path + " carries raw markup: " + r.body());
      assertFalse(r.body().contains(">"), path);
      assertTrue(r.raw().headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
      assertEquals("nosniff", r.raw().headers().firstValue("X-Content-Type-Options").orElse(""));
    }
    JsonNode failing = find(c.get("api/tasks").json(), Fixture.FAILING_TASK);
    assertEquals(Fixture.XSS, failing.get("lastError").asText(), "the text itself is intact");
    assertEquals(Fixture.XSS, c.get("api/jobs?task=" + Fixture.FAILING_TASK).json().get("items").get(0).get("error").asText());
    String csp = c.get("").raw().headers().firstValue("Content-Security-Policy").orElse("");
    assertTrue(csp.contains("script-src 'self'"), csp);
  }

  @Test
  void theDashboardMountsUnderABasePathAndInAHostsOwnServer() throws Exception {
    try (WebServer w = AutopilotWeb.create(autopilot).port(0).basePath("/autopilot").start()) {
      assertTrue(w.url().toString().endsWith("/autopilot/"), w.url().toString());
      Client c = new Client(w.url());
      Client.Response page = c.get("");
      assertEquals(200, page.status());
      assertTrue(page.body().contains("<script src=\"assets/app.js\">"));
      assertEquals(200, c.get("assets/uPlot.iife.min.js").status());
      assertEquals(200, c.get("api/tasks").status());
      assertEquals(404, new Client(URI.create("http://127.0.0.1:" + w.port() + "/")).get("api/tasks").status());
    }
    HttpServer host = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    host.createContext("/ops/scheduler", AutopilotWeb.create(autopilot).basePath("/ops/scheduler").handler());
    host.start();
    try {
      Client c = new Client(URI.create("http://127.0.0.1:" + host.getAddress().getPort() + "/ops/scheduler/"));
      assertEquals(4, c.get("api/tasks").json().size());
    } finally {
      host.stop(0);
    }
  }

  @Test
  void pauseAndResumeTakeEffectOnBothEngines() throws Exception {
    Client c = new Client(web.url()).session();
    Client.Response paused = c.post("api/tasks/" + Fixture.SQL_TASK + "/pause", "{\"reason\":\"maintenance window\"}",
        "Origin", "http://" + web.url().getAuthority());
    assertEquals(200, paused.status(), paused.body());
    assertFalse(cronJob(Fixture.SQL_TASK).active(), "cron.job.active is false");
    assertTrue(find(c.get("api/tasks").json(), Fixture.SQL_TASK).get("paused").asBoolean());
    assertEquals(200, c.action("api/tasks/" + Fixture.JAVA_TASK + "/pause").status());
    assertTrue(autopilot.monitor().task(Fixture.JAVA_TASK).orElseThrow().paused());
    dev.autopilot.Pause pause = autopilot.control().pauses().stream().filter(p -> p.task().equals(Fixture.SQL_TASK))
        .findFirst().orElseThrow();
    assertEquals("local", pause.by());
    assertEquals("maintenance window", pause.reason());
    assertEquals(200, c.action("api/tasks/" + Fixture.SQL_TASK + "/resume").status());
    assertEquals(200, c.action("api/tasks/" + Fixture.JAVA_TASK + "/resume").status());
    assertTrue(cronJob(Fixture.SQL_TASK).active(), "cron.job.active is true again");
    assertFalse(autopilot.monitor().task(Fixture.JAVA_TASK).orElseThrow().paused());
    assertTrue(audit("pause").contains("local|admin|pause|" + Fixture.SQL_TASK + "|done|maintenance window"),
        audit("pause").toString());
  }

  @Test
  void retryReRunsAFailedJobAndBothPagesLinkToEachOther() throws Exception {
    String failed = autopilot.trigger(Fixture.FAILING_TASK);
    long failedId = Fixture.value(Duration.ofSeconds(30), "the failed run", () -> historyId(Fixture.FAILING_TASK, failed));
    Client c = new Client(web.url()).session();
    Client.Response r = c.action("api/jobs/" + failedId + "/retry");
    assertEquals(200, r.status(), r.body());
    String rerun = r.json().get("executionId").asText();
    long rerunId = Fixture.value(Duration.ofSeconds(30), "the re-run", () -> historyId(Fixture.FAILING_TASK, rerun));
    assertEquals(failedId, c.get("api/jobs/" + rerunId).json().get("retryOf").asLong());
    assertEquals(rerunId, c.get("api/jobs/" + failedId).json().get("retriedBy").asLong());
    long succeeded = c.get("api/jobs?state=succeeded&limit=1").json().get("items").get(0).get("id").asLong();
    Client.Response refused = c.action("api/jobs/" + succeeded + "/retry");
    assertEquals(409, refused.status(), refused.body());
  }

  @Test
  void cancelStopsARunningJob() {
    String id = autopilot.trigger(Fixture.SLOW_TASK);
    Client c = new Client(web.url()).session();
    Fixture.await(Duration.ofSeconds(30), "the slow run to be running", () -> {
      for (JsonNode j : c.get("api/jobs?state=running&task=" + Fixture.SLOW_TASK).json().get("live")) {
        if (j.get("executionId").asText().equals(id)) {
          return true;
        }
      }
      return false;
    });
    Client.Response r = c.action("api/jobs/" + Fixture.SLOW_TASK + ":" + id + "/cancel");
    assertEquals(200, r.status(), r.body());
    Fixture.await(Duration.ofSeconds(30), "the run recorded cancelled", () -> {
      autopilot.flushHistory(Duration.ofSeconds(1));
      return c.get("api/jobs?state=cancelled&task=" + Fixture.SLOW_TASK).json().get("items").size() == 1;
    });
    assertEquals(404, c.action("api/jobs/" + Fixture.SLOW_TASK + ":no-such-run/cancel").status());
  }

  @Test
  void searchIsOfferedWithTheCodePackAndChecksItsParameters() {
    Client c = new Client(web.url());
    assertTrue(c.get("api/session").json().get("features").get("search").asBoolean(), "the code pack is on the class path");
    assertEquals(0, c.get("api/search?q=").json().get("hits").size());
    Client.Response bad = c.get("api/search?q=cron&k=99");
    assertEquals(400, bad.status());
    assertEquals("k: expected a number 1..50, was 99", bad.json().get("error").asText());
  }

  @Test
  void theCronScreenReadsPgCronsOwnTables() {
    JsonNode cron = new Client(web.url()).get("api/cron").json();
    assertTrue(cron.get("available").asBoolean(), cron.toString());
    assertEquals("postgres", cron.get("cronDatabase").asText());
    JsonNode job = null;
    for (JsonNode j : cron.get("jobs")) {
      if (Fixture.SQL_TASK.equals(j.get("task").asText(null))) {
        job = j;
      }
    }
    assertNotNull(job, cron.toString());
    assertEquals("0 3 * * *", job.get("schedule").asText());
    assertEquals("SELECT 1", job.get("command").asText());
    assertEquals(db.name(), job.get("database").asText());
  }

  static dev.autopilot.PgCronStatus.Job cronJob(String task) {
    return autopilot.monitor().pgCron(1).jobs().stream().filter(j -> task.equals(j.task())).findFirst().orElseThrow();
  }

  static Long historyId(String task, String executionId) {
    autopilot.flushHistory(Duration.ofSeconds(1));
    return autopilot.monitor().jobs(JobQuery.all().task(task)).stream()
        .filter(j -> j.executionId().equals(executionId) && j.state().isFinished()).map(j -> j.id()).findFirst().orElse(null);
  }

  static JsonNode find(JsonNode tasks, String name) {
    for (JsonNode t : tasks) {
      if (t.get("name").asText().equals(name)) {
        return t;
      }
    }
    throw new AssertionError("no task " + name + " in " + tasks);
  }

  static List<String> audit(String action) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = db.connect(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT actor, role, action, target, outcome, detail FROM " + SCHEMA
             + ".action_audit WHERE action = '" + action + "' ORDER BY id")) {
      while (rs.next()) {
        out.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4) + "|"
            + rs.getString(5) + "|" + rs.getString(6));
      }
    }
    return out;
  }

  static Set<String> names(JsonNode tasks) {
    Set<String> out = new HashSet<>();
    tasks.forEach(t -> out.add(t.get("name").asText()));
    return out;
  }
}
