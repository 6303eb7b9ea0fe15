package dev.autopilot.internal.sqltasks;

import dev.autopilot.internal.Jdbc;
import dev.autopilot.spi.Task;
import dev.autopilot.spi.TaskContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code reindex-bloated-indexes}: rebuilds Autopilot's B-tree indexes whose estimated bloat
 * exceeds {@code min-bloat-ratio} (default 0.3) and whose size exceeds {@code min-size} bytes
 * (default 10 MB), with {@code REINDEX INDEX CONCURRENTLY}, which takes no lock that blocks
 * writes.
 *
 * <p>Why Java: {@code REINDEX ... CONCURRENTLY} cannot run inside a function, a procedure or a
 * transaction block, and a pg_cron command is one fixed statement, so no single pg_cron command
 * can pick the bloated indexes and rebuild them. The candidates come from the SQL function
 * {@code bloated_indexes(ratio, bytes)} (V006); this task runs each REINDEX on an autocommit
 * connection, on db-scheduler. A REINDEX that fails leaves an invalid {@code *_ccnew} index
 * behind; it is dropped (concurrently) before the error is reported.
 */
final class ReindexBloatedIndexes {
  private static final Logger log = LoggerFactory.getLogger(ReindexBloatedIndexes.class);

  private ReindexBloatedIndexes() {}

  static Task task(String pack) {
    return Task.java("reindex-bloated-indexes", ReindexBloatedIndexes::run)
        .cron("0 3 * * 0").pack(pack)
        .description("REINDEX INDEX CONCURRENTLY of indexes with estimated bloat > 30% and size > 10 MB")
        .build();
  }

  static void run(TaskContext ctx) throws SQLException {
    double ratio = Double.parseDouble(ctx.config().get("min-bloat-ratio", "0.3").trim());
    long minBytes = Long.parseLong(ctx.config().get("min-size", "10485760").trim());
    String q = Jdbc.quoteIdent(ctx.schema());
    try (Connection c = ctx.dataSource().getConnection()) {
      c.setAutoCommit(true);
      List<String> names = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT index_name, index_bytes, bloat_ratio FROM " + q
          + ".bloated_indexes(?, ?)")) {
        ps.setDouble(1, ratio);
        ps.setLong(2, minBytes);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            names.add(rs.getString(1));
            log.info("[{}] {}: {} bytes, estimated bloat {}%", ctx.taskName(), rs.getString(1), rs.getLong(2),
                Math.round(rs.getDouble(3) * 100));
          }
        }
      }
      int done = 0;
      for (String index : names) {
        if (ctx.isCancelled()) {
          return;
        }
        ctx.progress(done, names.size(), "REINDEX INDEX CONCURRENTLY " + index);
        try (Statement s = c.createStatement()) {
          s.execute("REINDEX INDEX CONCURRENTLY " + index);
        } catch (SQLException e) {
          dropLeftover(c, index);
          throw e;
        }
        done++;
      }
      ctx.progress(done, names.size(), names.isEmpty() ? "no bloated index" : "rebuilt " + done + " index(es)");
    }
  }

  private static void dropLeftover(Connection c, String qualifiedIndex) {
    // qualifiedIndex is "schema"."name" (format %I.%I); the leftover is the same name + _ccnew
    try (Statement s = c.createStatement()) {
      String leftover = qualifiedIndex.endsWith("\"")
          ? qualifiedIndex.substring(0, qualifiedIndex.length() - 1) + "_ccnew\""
          : qualifiedIndex + "_ccnew";
      s.execute("DROP INDEX CONCURRENTLY IF EXISTS " + leftover);
    } catch (SQLException e) {
      log.warn("could not drop the invalid index left by a failed REINDEX of {}: {}", qualifiedIndex, e.getMessage());
    }
  }
}
