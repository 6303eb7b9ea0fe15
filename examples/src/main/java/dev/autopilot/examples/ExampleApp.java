package dev.autopilot.examples;

import dev.autopilot.Autopilot;
import dev.autopilot.spi.RetryPolicy;
import dev.autopilot.spi.Task;
import dev.autopilot.spi.TaskContext;
import dev.autopilot.spi.Trigger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * The example host application's Autopilot: the full built-in task set plus three example tasks,
 * configured for this repository. The demo ({@link DemoMain}) and the operator CLI both build
 * their Autopilot here, so the CLI knows exactly the catalog the demo runs.
 */
public final class ExampleApp {

  /** Directories of JSON knowledge artifacts loaded at start-up (knowledge-migration). */
  public static final String KNOWLEDGE_DIRS = "autopilot.knowledge.dirs";
  /** The local templates tree synced at start-up (templates-data-load). */
  public static final String TEMPLATES_DIR = "autopilot.templates.dir";
  /** Codebases parsed at start-up and weekly (code-ingest). */
  public static final String CODE_ROOTS = "autopilot.code.roots";
  /** Where database backups are written (database-backup-hourly/daily). */
  public static final String BACKUP_DIR = "autopilot.backup.dir";

  /** A Java task that counts this repository's sources, with progress. */
  public static final String SOURCE_CENSUS = "example-source-census";
  /** A Java task that logs that the host is alive, every minute. */
  public static final String HEARTBEAT = "example-heartbeat";
  /** A SQL task pruning stale progress rows (pg_cron where available). */
  public static final String PRUNE_PROGRESS = "example-prune-progress";

  private ExampleApp() {}

  /**
   * @param dataSource the host's pool
   * @param repoRoot the repository root (example data and the code to ingest live there)
   * @param home the demo's state directory ({@code .autopilot}), for backups
   * @return a builder with the example configuration, ready for more settings
   */
  public static Autopilot.Builder builder(DataSource dataSource, Path repoRoot, Path home) {
    Path root = repoRoot.toAbsolutePath().normalize();
    return Autopilot.builder(dataSource)
        .property(KNOWLEDGE_DIRS, root.resolve("examples/data/knowledge").toString())
        .property(TEMPLATES_DIR, root.resolve("examples/data/templates_data").toString())
        .property(CODE_ROOTS, root.toString())
        .property(BACKUP_DIR, home.toAbsolutePath().resolve("backups").toString())
        .property("autopilot.task." + SOURCE_CENSUS + ".root", root.toString())
        .tasks(tasks());
  }

  /** @return the example host's own tasks */
  public static List<Task> tasks() {
    return List.of(
        Task.java(SOURCE_CENSUS, ExampleApp::sourceCensus)
            .trigger(Trigger.cron("0 * * * *").andAtStartup(10))
            .retry(RetryPolicy.exponential(3, Duration.ofSeconds(5)))
            .description("Counts the repository's source files and lines (task_state), with progress")
            .build(),
        Task.java(HEARTBEAT, ctx -> org.slf4j.LoggerFactory.getLogger(ExampleApp.class)
                .info("heartbeat: execution {} attempt {}", ctx.executionId(), ctx.attempt()))
            .cron("* * * * *")
            .description("Logs that the example host is alive")
            .build(),
        Task.sql(PRUNE_PROGRESS, "DELETE FROM ${schema}.task_progress WHERE updated_at < now() - interval '1 day'")
            .cron("*/10 * * * *")
            .description("Deletes progress rows of executions that ended more than a day ago")
            .build());
  }

  private static final Set<String> SOURCE_SUFFIXES = Set.of(".java", ".sql", ".sh", ".md", ".xml");

  /** Walks the configured root (skipping build output and dot directories) and counts lines. */
  static void sourceCensus(TaskContext ctx) throws IOException {
    Path root = Path.of(ctx.config().get("root").orElseThrow(
        () -> new IllegalStateException("setting autopilot.task." + SOURCE_CENSUS + ".root is missing")));
    List<Path> files;
    try (Stream<Path> s = Files.walk(root)) {
      files = s.filter(Files::isRegularFile)
          .filter(p -> !root.relativize(p).toString().matches("(^|.*/)(target|\\.[^/]+)/.*"))
          .filter(p -> SOURCE_SUFFIXES.stream().anyMatch(x -> p.getFileName().toString().endsWith(x)))
          .sorted().collect(Collectors.toList());
    }
    long lines = 0;
    for (int i = 0; i < files.size(); i++) {
      if (ctx.isCancelled()) {
        return;
      }
      try (Stream<String> l = Files.lines(files.get(i))) {
        lines += l.count();
      } catch (UncheckedIOException e) {
        // not UTF-8: counted as a file, not in lines
      }
      ctx.progress(i + 1, files.size(), root.relativize(files.get(i)).toString());
    }
    ctx.state().put("files", String.valueOf(files.size()));
    ctx.state().put("lines", String.valueOf(lines));
  }
}
