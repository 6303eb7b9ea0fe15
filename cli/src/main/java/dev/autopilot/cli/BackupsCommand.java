package dev.autopilot.cli;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The backup catalog of the backup pack. */
@Command(name = "backups", description = "database backups (the backup pack): kind, status, size, checksum, archived")
final class BackupsCommand extends BaseCommand {

  @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "at most N backups (default 20)")
  int limit;

  @Override
  int execute() {
    if (limit < 1 || limit > 10_000) {
      throw new UsageException("--limit must be between 1 and 10000, was " + limit);
    }
    String schema = connect.schema();
    List<Map<String, Object>> rows;
    try (Connection c = connect.dataSource().getConnection()) {
      rows = Rows.query(c, "SELECT id, kind, status, file_path, size_bytes, sha256, started_at, finished_at,"
          + " duration_ms, archived, error FROM \"" + schema.replace("\"", "\"\"") + "\".backups"
          + " ORDER BY started_at DESC, id DESC LIMIT " + limit, null);
    } catch (SQLException e) {
      if ("42P01".equals(e.getSQLState()) || "3F000".equals(e.getSQLState())) {
        throw new UsageException("no table " + schema + ".backups in this database (no host runs the backup pack"
            + " here, or --schema names another schema)");
      }
      throw new Failure("cannot read backups: " + AutopilotCli.firstLine(e.getMessage()));
    }
    if (json) {
      printJson(rows);
      return 0;
    }
    Rows.print(ctx.out, rows, List.of("id", "kind", "status", "started_at", "duration_ms", "size_bytes", "archived",
        "file_path", "error"));
    return 0;
  }
}
