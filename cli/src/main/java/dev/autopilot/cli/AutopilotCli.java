package dev.autopilot.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The operator CLI: {@code status}, {@code jobs}, {@code cron}, {@code trigger}, {@code backups}
 * and {@code search} against any Autopilot database. It attaches as a client ({@code
 * Autopilot.attach()}): nothing runs in its JVM, triggers are queued for the running hosts, and
 * the task set is the one the running hosts recorded in the database.
 *
 * <p>Exit codes: 0 done; 1 the operation failed (a task failed, nothing picked a trigger up in
 * time); 2 a wrong call (unknown command, option or task, bad value, unreachable database, no
 * Autopilot schema): one line on stderr, never a stack trace unless {@code --debug}.
 */
@Command(name = "autopilot", mixinStandardHelpOptions = true, versionProvider = AutopilotCli.Version.class,
    description = "Operates Autopilot (pg_cron + db-scheduler) on a PostgreSQL database.",
    subcommands = {StatusCommand.class, JobsCommand.class, CronCommand.class, TriggerCommand.class,
        BackupsCommand.class, SearchCommand.class, CommandLine.HelpCommand.class})
public final class AutopilotCli implements Runnable {

  /** Exit code of a wrong call. */
  public static final int USAGE = 2;
  /** Exit code of an operation that failed. */
  public static final int FAILED = 1;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
  }

  /**
   * Runs the CLI and exits with its code.
   *
   * @param argv the command line
   */
  public static void main(String[] argv) {
    quietLogging();
    System.exit(run(argv, System.out, System.err, System.getenv(), () -> null));
  }

  /** Keeps library chatter (DJL's engine notes, db-scheduler) off the operator's terminal. */
  public static void quietLogging() {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    System.setProperty("org.slf4j.simpleLogger.log.ai.djl", "error");
    System.setProperty("org.slf4j.simpleLogger.log.ai.onnxruntime", "error");
  }

  /**
   * Runs the CLI in this JVM (tests and the demo's wrapper call this).
   *
   * @param argv the command line
   * @param out standard output
   * @param err standard error
   * @param env the environment ({@code AUTOPILOT_JDBC_URL}, {@code AUTOPILOT_DB_PASSWORD}, ...)
   * @param defaultUrl the database to use when neither {@code --jdbc-url} nor the environment name
   *     one; may return null
   * @return the exit code
   */
  public static int run(String[] argv, PrintStream out, PrintStream err, Map<String, String> env,
      Supplier<String> defaultUrl) {
    Context ctx = new Context(out, err, env, defaultUrl);
    CommandLine cl = new CommandLine(new AutopilotCli(), new Factory(ctx));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    cl.setParameterExceptionHandler((ex, args) -> {
      err.println("autopilot: " + Connect.redact(AutopilotCli.firstLine(ex.getMessage())));
      err.println(usageHint(ex.getCommandLine()));
      return USAGE;
    });
    cl.setExecutionExceptionHandler((ex, line, parsed) -> {
      if (ex instanceof UsageException) {
        err.println("autopilot: " + ex.getMessage());
        return USAGE;
      }
      if (ex instanceof Failure) {
        err.println("autopilot: " + ex.getMessage());
        return FAILED;
      }
      err.println("autopilot: " + Connect.redact(oneLine(ex)) + (ctx.debug ? "" : " (--debug shows the stack trace)"));
      if (ctx.debug) {
        ex.printStackTrace(err);
      }
      return FAILED;
    });
    return cl.execute(argv);
  }

  private static String usageHint(CommandLine line) {
    return "usage: autopilot " + (line.getParent() == null ? "COMMAND" : line.getCommandName()) + " [options]"
        + " (autopilot " + (line.getParent() == null ? "" : line.getCommandName() + " ") + "--help lists them)";
  }

  static String oneLine(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = firstLine(e.getMessage());
    return root == e || m.contains(firstLine(root.getMessage())) ? m : m + ": " + firstLine(root.getMessage());
  }

  static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** What every command shares: streams, environment, options once parsed. */
  static final class Context {
    final PrintStream out;
    final PrintStream err;
    final Map<String, String> env;
    final Supplier<String> defaultUrl;
    boolean debug;

    Context(PrintStream out, PrintStream err, Map<String, String> env, Supplier<String> defaultUrl) {
      this.out = out;
      this.err = err;
      this.env = env;
      this.defaultUrl = defaultUrl;
    }
  }

  /** Hands every command the shared context. */
  private static final class Factory implements CommandLine.IFactory {
    private final Context ctx;
    private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

    Factory(Context ctx) {
      this.ctx = ctx;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
      K k = fallback.create(cls);
      if (k instanceof BaseCommand b) {
        b.ctx = ctx;
      }
      return k;
    }
  }

  /** The version of the jar. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = AutopilotCli.class.getPackage().getImplementationVersion();
      return new String[] {"autopilot-cli " + (v == null ? "(development build)" : v)};
    }
  }
}
