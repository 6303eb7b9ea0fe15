package dev.autopilot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.Autopilot;
import dev.autopilot.spi.Task;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged CLI jar, run with {@code java -jar} from a temporary directory against a database
 * a host (this test) runs Autopilot on: the task set comes from the database, not from the jar.
 */
@ExtendWith(PostgresExtension.class)
class CliJarIT {

  record Run(int code, String out, String err) {}

  /** Hides the packs from ServiceLoader: what a host without the pack jars sees. */
  static final class CoreOnly extends ClassLoader {
    CoreOnly(ClassLoader parent) {
      super(parent);
    }

    @Override
    public java.util.Enumeration<java.net.URL> getResources(String name) throws java.io.IOException {
      return name.equals("META-INF/services/dev.autopilot.internal.Pack") ? java.util.Collections.emptyEnumeration()
          : super.getResources(name);
    }
  }

  @TempDir
  Path cwd;

  static Path jar() throws Exception {
    try (var s = Files.list(Path.of("target"))) {
      return s.filter(p -> p.getFileName().toString().matches("autopilot-cli-[^-]+(-SNAPSHOT)?\\.jar"))
          .findFirst().orElseThrow(() -> new AssertionError("no CLI jar in target/ (mvn package first)"))
          .toAbsolutePath();
    }
  }

  Run cli(Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", jar().toString()));
    cmd.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
    pb.environment().remove("AUTOPILOT_JDBC_URL");
    pb.environment().putAll(env);
    File out = cwd.resolve("out.txt").toFile();
    File err = cwd.resolve("err.txt").toFile();
    pb.redirectOutput(out).redirectError(err);
    Process p = pb.start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "CLI finished: " + String.join(" ", args));
    return new Run(p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8),
        Files.readString(err.toPath(), StandardCharsets.UTF_8));
  }

  @Test
  void statusListsTheRunningHostsTasksAndTriggerRefusesATaskTheHostLacks(TestDatabase db) throws Exception {
    AtomicInteger ran = new AtomicInteger();
    // a host with core alone: the packs this module's class path holds are hidden from it
    try (Autopilot host = Autopilot.builder(db.dataSource()).schema("cli_host").environment(Map.of())
        .classLoader(new CoreOnly(getClass().getClassLoader())).pollingInterval(Duration.ofMillis(200))
        .task(Task.java("host-only-report", ctx -> ran.incrementAndGet()).cron("0 4 * * *").pack("host").build())
        .build().start()) {
      Map<String, String> env = Map.of("AUTOPILOT_JDBC_URL", db.jdbcUrl());

      Run status = cli(env, "status", "--json", "--schema", "cli_host");
      assertEquals(0, status.code(), status.err());
      assertTrue(status.out().contains("\"name\" : \"host-only-report\""), status.out());
      assertTrue(status.out().contains("\"pack\" : \"host\""), status.out());
      assertTrue(status.out().contains("\"name\" : \"daily-vacuum-analyze\""), "core's maintenance tasks too");
      assertTrue(status.out().contains(host.instanceName()), "the instances that have the task");

      Run trigger = cli(env, "trigger", "host-only-report", "--wait", "60s", "--schema", "cli_host");
      assertEquals(0, trigger.code(), trigger.out() + trigger.err());
      assertEquals(1, ran.get());

      Run missing = cli(env, "trigger", "code-ingest", "--no-wait", "--schema", "cli_host");
      assertEquals(2, missing.code(), missing.out() + missing.err());
      assertEquals(1, missing.err().strip().lines().count(), missing.err());
      assertTrue(missing.err().contains("code-ingest"), missing.err());
    }
  }

  @Test
  void badArgumentsExitTwoWithOneLineNamingTheArgument(TestDatabase db) throws Exception {
    Map<String, String> env = Map.of("AUTOPILOT_JDBC_URL", db.jdbcUrl());
    Run contradictory = cli(env, "trigger", "x", "--wait", "5s", "--no-wait");
    assertEquals(2, contradictory.code());
    assertTrue(contradictory.err().contains("--wait") && contradictory.err().contains("--no-wait"), contradictory.err());
    assertFalse(contradictory.err().contains("\tat "), "no stack trace");

    Run unknown = cli(env, "statuz");
    assertEquals(2, unknown.code());
    assertTrue(unknown.err().contains("statuz"), unknown.err());

    Run limit = cli(env, "jobs", "--limit", "many");
    assertEquals(2, limit.code());
    assertTrue(limit.err().contains("--limit"), limit.err());

    Run noDb = cli(Map.of(), "status");
    assertEquals(2, noDb.code());
    assertEquals(1, noDb.err().strip().lines().count(), noDb.err());
    assertTrue(noDb.err().contains("--jdbc-url"), noDb.err());

    Run closed = cli(Map.of("AUTOPILOT_JDBC_URL", "jdbc:postgresql://127.0.0.1:1/x?password=hunter2"), "status");
    assertEquals(2, closed.code());
    assertFalse(closed.err().contains("hunter2"), "the password is masked: " + closed.err());
  }
}
