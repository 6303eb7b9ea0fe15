package dev.autopilot.examples.cli;

import dev.autopilot.examples.EmbeddedDb;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@code db start|stop|url|status}: the demo's embedded cluster. */
final class DatabaseCommands {

  static final String DB_USAGE = "usage: autopilot db start|stop|url|status";


  private final AutopilotCli cli;
  private final PrintStream out;

  DatabaseCommands(AutopilotCli cli) {
    this.cli = cli;
    this.out = cli.out();
  }

  int db(Args args) {
    args.allow("db", Set.of(), DB_USAGE);
    if (args.option("--jdbc-url") != null) {
      throw new UsageException("'db' manages the embedded database; --jdbc-url does not apply", DB_USAGE);
    }
    if (args.positional.size() != 2) {
      throw new UsageException(args.positional.size() < 2 ? "missing argument" : "unexpected argument '"
          + args.positional.get(2) + "'", DB_USAGE);
    }
    EmbeddedDb db = new EmbeddedDb(cli.home());
    switch (args.positional.get(1)) {
      case "start":
        boolean started = db.start();
        out.println((started ? "started" : "already running") + ": " + db.jdbcUrl());
        out.println("data: " + db.dataDirectory());
        return 0;
      case "stop":
        out.println(db.stop() ? "stopped (data kept in " + db.dataDirectory() + ")" : "not running");
        return 0;
      case "url":
        if (db.rememberedPort() == 0) {
          throw new UsageException("the embedded database was never started here (./autopilot db start)");
        }
        out.println(db.jdbcUrl());
        if (!db.isRunning()) {
          cli.err().println("(not running now: ./autopilot db start)");
        }
        return 0;
      case "status":
        boolean running = db.isRunning();
        if (cli.json()) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("running", running);
          m.put("jdbcUrl", db.rememberedPort() == 0 ? null : db.jdbcUrl());
          m.put("dataDirectory", db.dataDirectory().toString());
          try {
            out.println(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(m));
          } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
          }
        } else {
          out.println((running ? "running: " + db.jdbcUrl() : "not running") + "; data: " + db.dataDirectory());
        }
        return running ? 0 : 1;
      default:
        throw new UsageException("unknown db action '" + args.positional.get(1) + "'", DB_USAGE);
    }
  }






}
