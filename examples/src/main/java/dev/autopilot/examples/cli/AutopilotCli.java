package dev.autopilot.examples.cli;

import dev.autopilot.Autopilot;
import dev.autopilot.AutopilotException;
import dev.autopilot.UnknownTaskException;
import dev.autopilot.examples.EmbeddedDb;
import dev.autopilot.examples.ExampleApp;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Set;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The operator CLI: {@code status}, {@code jobs}, {@code cron}, {@code trigger}, {@code backups},
 * {@code search} and {@code db start|stop|url|status}, against the demo's embedded database or
 * any other one ({@code --jdbc-url}). It attaches to the database with the example host's task
 * catalog ({@link Autopilot#attach()}): nothing runs in the CLI's JVM, triggers are queued for the
 * running host to pick up.
 *
 * <p>Exit codes: 0 done, 1 the operation failed (a task failed, no instance picked a trigger,
 * a part is missing), 2 a mistake in the call (arguments, unknown task, unreachable or wrong
 * database): one line on stderr, with usage where it helps, never a stack trace.
 */
public final class AutopilotCli {

  static final Set<String> GLOBAL_OPTIONS = Set.of("--jdbc-url", "--schema", "--repo", "--json", "--debug", "--help", "-h");

  static final String USAGE = String.join("\n",
      "usage: autopilot <command> [options]",
      "  status                                   every task: engine, schedule, enabled, next and last run, outcome",
      "  jobs [--state S,...] [--task T] [--limit N]",
      "                                           jobs, newest first (states: scheduled running succeeded skipped",
      "                                           retrying failed dead)",
      "  cron [--all] [--limit N]                 pg_cron jobs of this database and their recent runs",
      "  trigger TASK [--wait 60s | --no-wait]    run a task now (a running host picks it up), wait for its outcome",
      "  backups [--limit N]                      database backups and their verification",
      "  search \"QUERY\" [--limit N]               retrieval over ingested code, knowledge and templates",
      "  db start|stop|url|status                 the demo's embedded PostgreSQL (data kept in .autopilot/)",
      "options of every command: --jdbc-url URL (default: $AUTOPILOT_JDBC_URL, else the embedded database),",
      "  --schema NAME (default autopilot), --json, --repo DIR (default: working directory), --debug");

  private final PrintStream out;
  private final PrintStream err;
  private Args args;

  AutopilotCli(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /**
   * Runs the CLI and exits with its code.
   *
   * @param argv the command line
   */
  public static void main(String[] argv) {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    System.exit(run(argv, System.out, System.err));
  }

  /**
   * Runs the CLI in this JVM (tests call this).
   *
   * @param argv the command line
   * @param out standard output
   * @param err standard error
   * @return the exit code
   */
  public static int run(String[] argv, PrintStream out, PrintStream err) {
    return new AutopilotCli(out, err).execute(argv);
  }

  private int execute(String[] argv) {
    boolean debug = java.util.Arrays.asList(argv).contains("--debug");
    try {
      args = Args.parse(argv);
      if (args.positional.isEmpty() || args.positional.get(0).equals("help")) {
        (args.positional.isEmpty() && !args.flag("--help") && !args.flag("-h") ? err : out).println(USAGE);
        return args.positional.isEmpty() && !args.flag("--help") && !args.flag("-h") ? 2 : 0;
      }
      String command = args.positional.get(0);
      if (args.flag("--help") || args.flag("-h")) {
        out.println(USAGE);
        return 0;
      }
      switch (command) {
        case "status":
        case "jobs":
        case "trigger":
        case "search":
          return new TaskCommands(this).run(command, args);
        case "cron":
        case "backups":
          return new DatabaseCommands(this).run(command, args);
        case "db":
          return new DatabaseCommands(this).db(args);
        default:
          throw new UsageException("unknown command '" + command + "'", USAGE);
      }
    } catch (UsageException e) {
      err.println("autopilot: " + e.getMessage());
      if (e.usage() != null) {
        err.println(e.usage());
      }
      return 2;
    } catch (Failure e) {
      err.println("autopilot: " + e.getMessage());
      return 1;
    } catch (RuntimeException e) {
      err.println("autopilot: " + oneLine(e) + (debug ? "" : " (--debug shows the stack trace)"));
      if (debug) {
        e.printStackTrace(err);
      }
      return 1;
    }
  }

  /** An operation that was understood but did not succeed: one line, exit code 1. */
  static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Failure(String message) {
      super(message);
    }
  }

  PrintStream out() {
    return out;
  }

  PrintStream err() {
    return err;
  }

  String schemaOption() {
    return args.option("--schema");
  }

  boolean json() {
    return args.flag("--json");
  }

  Path repo() {
    String r = args.option("--repo");
    return Path.of(r != null ? r : System.getProperty("autopilot.repo", ".")).toAbsolutePath().normalize();
  }

  Path home() {
    return repo().resolve(".autopilot");
  }

  /** @return the JDBC URL asked for: --jdbc-url, $AUTOPILOT_JDBC_URL, or the embedded database */
  String jdbcUrl() {
    String url = args.option("--jdbc-url");
    if (url == null) {
      url = System.getenv("AUTOPILOT_JDBC_URL");
    }
    if (url != null && !url.isBlank()) {
      return url.trim();
    }
    EmbeddedDb db = new EmbeddedDb(home());
    if (!db.isRunning()) {
      throw new UsageException("no database: the embedded one in " + home()
          + " is not running (start it: ./autopilot db start, or run ./autopilot demo), and no --jdbc-url was given");
    }
    return db.jdbcUrl();
  }

  /**
   * @param url a JDBC URL
   * @return an open connection
   * @throws UsageException naming the URL (password hidden) when the database cannot be reached
   */
  Connection connect(String url) {
    if (!url.startsWith("jdbc:postgresql:")) {
      throw new UsageException("--jdbc-url must be a PostgreSQL URL (jdbc:postgresql://host:port/database?user=...), was '"
          + redact(url) + "'");
    }
    try {
      DriverManager.setLoginTimeout(10);
      return DriverManager.getConnection(url);
    } catch (SQLException e) {
      throw new UsageException("cannot connect to " + redact(url) + ": " + firstLine(e.getMessage()));
    }
  }

  /** @return Autopilot attached to the database with the example host's catalog; close it */
  Autopilot attach() {
    String url = jdbcUrl();
    try (Connection c = connect(url)) {
      c.isValid(5);
    } catch (SQLException e) {
      throw new UsageException("cannot connect to " + redact(url) + ": " + firstLine(e.getMessage()));
    }
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(url);
    Autopilot.Builder b = ExampleApp.builder(ds, repo(), home()).threads(1);
    if (args.option("--schema") != null) {
      try {
        b.schema(args.option("--schema"));
      } catch (AutopilotException e) {
        throw new UsageException(e.getMessage());
      }
    }
    Autopilot ap = b.build();
    try {
      return ap.attach();
    } catch (AutopilotException e) {
      throw new UsageException(redact(url) + ": " + firstLine(e.getMessage()));
    }
  }

  static UsageException unknownTask(UnknownTaskException e, String name) {
    return new UsageException("unknown task '" + name + "' (./autopilot status lists every task)");
  }

  static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static String oneLine(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = firstLine(e.getMessage());
    return root == e || m.contains(firstLine(root.getMessage())) ? m : m + ": " + firstLine(root.getMessage());
  }
}
