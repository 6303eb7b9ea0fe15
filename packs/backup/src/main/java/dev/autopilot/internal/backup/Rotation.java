package dev.autopilot.internal.backup;

import dev.autopilot.internal.Jdbc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the newest {@code keep} verified, non-archived backups of one kind and deletes the rest
 * (file, then row status {@code deleted}). Archived backups are outside rotation: never deleted,
 * never counted. Called only after a verified backup, so a failed run deletes nothing. Runs under
 * a transaction-scoped advisory lock per kind, so two concurrent rotations agree.
 */
final class Rotation {

  private static final Logger log = LoggerFactory.getLogger(Rotation.class);

  private Rotation() {}

  /** @return the ids of the backups deleted */
  static List<Long> rotate(Jdbc jdbc, String schema, String kind, int keep, String logPrefix) {
    String t = Jdbc.quoteIdent(schema) + ".backups";
    return jdbc.inTransaction(c -> {
      Jdbc.query(c, "SELECT pg_advisory_xact_lock(hashtext(?))", ps -> ps.setString(1, schema + ".backup-rotation." + kind),
          rs -> 1);
      List<Object[]> old = Jdbc.query(c, "SELECT id, file_path FROM " + t
          + " WHERE kind = ? AND status = 'verified' AND NOT archived"
          + " ORDER BY started_at DESC, id DESC OFFSET ? FOR UPDATE", ps -> {
            ps.setString(1, kind);
            ps.setInt(2, keep);
          }, rs -> new Object[] {rs.getLong(1), rs.getString(2)});
      List<Long> deleted = new ArrayList<>();
      for (Object[] row : old) {
        long id = (Long) row[0];
        String file = (String) row[1];
        try {
          if (file != null) {
            Files.deleteIfExists(Path.of(file));
          }
        } catch (IOException e) {
          log.warn("{}cannot delete old backup {} (id {}), kept for the next rotation: {}", logPrefix, file, id, e.toString());
          continue;
        }
        Jdbc.update(c, "UPDATE " + t + " SET status = 'deleted' WHERE id = ?", ps -> ps.setLong(1, id));
        deleted.add(id);
      }
      if (!deleted.isEmpty()) {
        log.info("{}rotation of {} backups (keep {}): deleted {}", logPrefix, kind, keep, deleted);
      }
      return deleted;
    });
  }
}
