package dev.autopilot.examples.cli;

import dev.autopilot.examples.EmbeddedDb;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code ./autopilot}'s CLI: the shipped operator CLI ({@link dev.autopilot.cli.AutopilotCli}:
 * status, jobs, cron, trigger, backups, search) with the demo's embedded database as the default
 * database, plus the demo-only {@code db start|stop|url|status} for that embedded PostgreSQL.
 */
public final class AutopilotCli {

  static final String DB_HELP = "  db start|stop|url|status   the demo's embedded PostgreSQL (data kept in .autopilot/)";

  private final PrintStream out;
  private final PrintStream err;
  private Args args;
  private String repo;

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
    dev.autopilot.cli.AutopilotCli.quietLogging();
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
    if (argv.length == 0 || !argv[0].equals("db")) {
      java.util.List<String> rest = new java.util.ArrayList<>(java.util.Arrays.asList(argv));
      int i = rest.indexOf("--repo");
      if (i >= 0 && i + 1 < rest.size()) {
        repo = rest.get(i + 1);
        rest.subList(i, i + 2).clear();
      }
      argv = rest.toArray(new String[0]);
      int code = dev.autopilot.cli.AutopilotCli.run(argv, out, err, System.getenv(), this::embeddedUrl);
      if (argv.length == 0 || argv[0].equals("--help") || argv[0].equals("-h") || argv[0].equals("help")) {
        (code == 0 ? out : err).println("demo only:");
        (code == 0 ? out : err).println(DB_HELP);
      }
      return code;
    }
    try {
      args = Args.parse(argv);
      return new DatabaseCommands(this).db(args);
    } catch (UsageException e) {
      err.println("autopilot: " + e.getMessage());
      if (e.usage() != null) {
        err.println(e.usage());
      }
      return 2;
    } catch (RuntimeException e) {
      err.println("autopilot: " + firstLine(e.getMessage()));
      return 1;
    }
  }

  /** @return the embedded database's URL when it runs, else null (the CLI then asks for --jdbc-url) */
  private String embeddedUrl() {
    EmbeddedDb db = new EmbeddedDb(home());
    return db.isRunning() ? db.jdbcUrl() : null;
  }

  PrintStream out() {
    return out;
  }

  PrintStream err() {
    return err;
  }

  boolean json() {
    return args.flag("--json");
  }

  Path home() {
    String r = args != null && args.option("--repo") != null ? args.option("--repo") : repo;
    return Path.of(r != null ? r : System.getProperty("autopilot.repo", ".")).toAbsolutePath().normalize()
        .resolve(".autopilot");
  }

  static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
