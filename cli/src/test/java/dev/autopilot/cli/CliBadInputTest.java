package dev.autopilot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bad input through the CLI: exit code 2, one error line naming the option or variable (a usage
 * hint may follow), no stack trace, no password.
 */
@Tag("fault")
@ExtendWith(PostgresExtension.class)
class CliBadInputTest {

  private static final String SECRET = "Cli-Secret-5521";

  record Case(String name, Map<String, String> env, String[] args, String[] words) {}

  @Test
  void everyBadCallIsOneLineNamingTheOptionOrVariable(TestDatabase db) throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    String closedUrl = "jdbc:postgresql://127.0.0.1:" + closed + "/app?user=ops&password=" + SECRET;
    String good = db.jdbcUrl();
    List<Case> cases = List.of(
        new Case("wait-and-no-wait", Map.of(), new String[] {"trigger", "x", "--wait", "5s", "--no-wait",
            "--jdbc-url", good}, new String[] {"--wait", "--no-wait"}),
        new Case("bad-wait", Map.of(), new String[] {"trigger", "x", "--wait", "soon", "--jdbc-url", good},
            new String[] {"--wait", "soon"}),
        new Case("url-from-environment", Map.of("AUTOPILOT_JDBC_URL", closedUrl), new String[] {"status"},
            new String[] {"AUTOPILOT_JDBC_URL", "password=***", "refused"}),
        new Case("url-option-closed-port", Map.of(), new String[] {"status", "--jdbc-url", closedUrl},
            new String[] {"--jdbc-url", "refused"}),
        new Case("not-postgresql", Map.of(), new String[] {"status", "--jdbc-url", "jdbc:mysql://h/db?password=" + SECRET},
            new String[] {"--jdbc-url", "PostgreSQL"}),
        new Case("schema-injection", Map.of(), new String[] {"status", "--jdbc-url", good, "--schema", "x; DROP TABLE y"},
            new String[] {"--schema"}),
        new Case("bad-limit", Map.of(), new String[] {"jobs", "--limit", "many", "--jdbc-url", good},
            new String[] {"--limit", "many"}),
        new Case("missing-password-file", Map.of(), new String[] {"status", "--jdbc-url", good, "--password-file",
            "/nonexistent/pw"}, new String[] {"--password-file"}),
        new Case("unknown-option", Map.of(), new String[] {"status", "--colour"}, new String[] {"--colour"}));
    List<String> problems = new ArrayList<>();
    for (Case c : cases) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code = AutopilotCli.run(c.args(), new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8), c.env(), () -> null);
      String e = err.toString(StandardCharsets.UTF_8);
      String[] lines = e.strip().split("\n");
      System.out.println("CLI " + c.name() + " exit " + code + ": " + e.strip().replace("\n", " | "));
      if (code != AutopilotCli.USAGE) {
        problems.add(c.name() + ": exit " + code);
      }
      if (lines.length > 2 || e.contains("\tat ") || (lines.length == 2 && !lines[1].startsWith("usage:"))) {
        problems.add(c.name() + ": not one error line: " + e);
      }
      if (e.contains(SECRET) || out.toString(StandardCharsets.UTF_8).contains(SECRET)) {
        problems.add(c.name() + ": the password shows: " + e);
      }
      for (String w : c.words()) {
        if (!lines[0].contains(w)) {
          problems.add(c.name() + ": '" + w + "' missing in: " + lines[0]);
        }
      }
    }
    if (!problems.isEmpty()) {
      fail(String.join("\n", problems));
    }
    assertEquals(9, cases.size());
  }
}
