package dev.autopilot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.Autopilot;
import dev.autopilot.spi.Task;
import dev.autopilot.spi.Trigger;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code autopilot web}: the dashboard served by the CLI, attached to a database a host runs on. */
@ExtendWith(PostgresExtension.class)
class WebCommandTest {

  record Result(int code, String out, String err) {}

  static Result cli(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = AutopilotCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), env, () -> null);
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void webServesTheHostsTasksFromTheDatabase(TestDatabase db) throws Exception {
    try (Autopilot host = Autopilot.builder(db.dataSource()).schema("webcli").environment(Map.of())
        .discoverProviders(false).builtInTasks(false).instanceName("cli-host")
        .task(Task.java("host-report", ctx -> { }).trigger(Trigger.manual()).build()).build().start()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
      AtomicInteger code = new AtomicInteger(-1);
      Thread t = new Thread(() -> code.set(AutopilotCli.run(new String[] {"web", "--port", "0", "--jdbc-url", db.jdbcUrl(),
          "--schema", "webcli", "--duration", "2m"}, ps, ps, Map.of(), () -> null)));
      t.start();
      Pattern url = Pattern.compile("dashboard at (http://\\S+)");
      Matcher m = null;
      long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < end) {
        m = url.matcher(out.toString(StandardCharsets.UTF_8));
        if (m.find()) {
          break;
        }
        m = null;
        Thread.sleep(100);
      }
      assertTrue(m != null, "no address printed: " + out);
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(m.group(1) + "api/tasks"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      assertTrue(r.body().contains("host-report"), r.body());
      assertTrue(!out.toString(StandardCharsets.UTF_8).contains("password"), out.toString());
      t.interrupt();
      t.join(30_000);
      assertEquals(0, code.get());
    }
  }

  @Test
  void offLoopbackWithoutSignInIsRefusedInOneLine(TestDatabase db) {
    Result r = cli(Map.of(), "web", "--bind", "0.0.0.0", "--port", "0", "--jdbc-url", db.jdbcUrl());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("--bind 0.0.0.0 is not a loopback address, so sign-in is required"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    Result noPassword = cli(Map.of(), "web", "--web-user", "ops", "--port", "0", "--jdbc-url", db.jdbcUrl());
    assertEquals(2, noPassword.code());
    assertTrue(noPassword.err().contains("AUTOPILOT_WEB_PASSWORD"), noPassword.err());
  }
}
