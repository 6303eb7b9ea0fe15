package dev.autopilot.internal.code;

import dev.autopilot.internal.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** code_files and code_chunks: what one ingest run reads and writes. */
final class CodeStore {

  record Stored(long id, String hash, boolean deleted) {}

  private final Jdbc jdbc;
  private final String s;

  CodeStore(DataSource ds, String schema) {
    this.jdbc = new Jdbc(ds);
    this.s = Jdbc.quoteIdent(schema) + ".";
  }

  Map<String, Stored> files(String codebase) {
    Map<String, Stored> out = new HashMap<>();
    jdbc.query("SELECT path, id, content_hash, deleted FROM " + s + "code_files WHERE codebase = ?",
        ps -> ps.setString(1, codebase),
        rs -> out.put(rs.getString(1), new Stored(rs.getLong(2), rs.getString(3), rs.getBoolean(4))));
    return out;
  }

  /** Signature of a file's live chunks (lines and hashes), to compare a full re-parse with. */
  List<String> chunkSignature(long fileId) {
    return jdbc.query("SELECT start_line || ':' || end_line || ':' || content_hash FROM " + s
        + "code_chunks WHERE file_id = ? AND NOT superseded ORDER BY chunk_index", ps -> ps.setLong(1, fileId),
        rs -> rs.getString(1));
  }

  static List<String> signature(List<Chunker.Chunk> chunks) {
    List<String> out = new ArrayList<>();
    for (Chunker.Chunk c : chunks) {
      out.add(c.startLine() + ":" + c.endLine() + ":" + SourceFile.sha256(c.content()));
    }
    return out;
  }

  /**
   * Records a new or changed file in one transaction: its previous chunks are superseded (the
   * cleanup-code-chunks task deletes them later), the new ones inserted, and embeddings of
   * chunks whose content did not change are copied so only changed chunks are embedded again.
   *
   * @return the number of chunks inserted
   */
  int write(String codebase, String path, SourceFile.Read r, List<Chunker.Chunk> chunks, boolean vecColumn) {
    return jdbc.inTransaction(c -> {
      long id = Jdbc.query(c, "INSERT INTO " + s + "code_files (codebase, path, language, content_hash, size_bytes,"
          + " line_count, deleted, deleted_at, ingested_at) VALUES (?, ?, ?, ?, ?, ?, false, NULL, now())"
          + " ON CONFLICT (codebase, path) DO UPDATE SET language = excluded.language, content_hash ="
          + " excluded.content_hash, size_bytes = excluded.size_bytes, line_count = excluded.line_count,"
          + " deleted = false, deleted_at = NULL, ingested_at = now() RETURNING id", ps -> {
            ps.setString(1, codebase);
            ps.setString(2, path);
            ps.setString(3, r.language());
            ps.setString(4, r.hash());
            ps.setLong(5, r.size());
            ps.setInt(6, r.lines());
          }, rs -> rs.getLong(1)).get(0);
      Jdbc.update(c, "UPDATE " + s + "code_chunks SET superseded = true WHERE file_id = ? AND NOT superseded",
          ps -> ps.setLong(1, id));
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + s + "code_chunks (file_id, chunk_index, kind,"
          + " symbol, start_line, end_line, content, content_hash, file_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        int i = 0;
        for (Chunker.Chunk ch : chunks) {
          ps.setLong(1, id);
          ps.setInt(2, i++);
          ps.setString(3, ch.kind());
          ps.setString(4, ch.symbol());
          ps.setInt(5, ch.startLine());
          ps.setInt(6, ch.endLine());
          ps.setString(7, ch.content().replace("\u0000", ""));
          ps.setString(8, SourceFile.sha256(ch.content()));
          ps.setString(9, r.hash());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      copyEmbeddings(c, id, vecColumn);
      return chunks.size();
    });
  }

  private void copyEmbeddings(Connection c, long fileId, boolean vec) throws SQLException {
    Jdbc.update(c, "INSERT INTO " + s + "embeddings (owner_type, owner_id, model, dims, vector, norm, source_hash"
        + (vec ? ", vec" : "") + ") SELECT DISTINCT ON (n.id, e.model) 'chunk', n.id, e.model, e.dims, e.vector,"
        + " e.norm, e.source_hash" + (vec ? ", e.vec" : "") + " FROM " + s + "code_chunks n JOIN " + s
        + "code_chunks o ON o.file_id = n.file_id AND o.superseded AND o.content_hash = n.content_hash"
        + " JOIN " + s
        + "embeddings e ON e.owner_type = 'chunk' AND e.owner_id = o.id"
        + " WHERE n.file_id = ? AND NOT n.superseded ON CONFLICT (owner_type, owner_id, model) DO NOTHING",
        ps -> ps.setLong(1, fileId));
  }

  int markDeleted(String codebase, Collection<String> paths) {
    if (paths.isEmpty()) {
      return 0;
    }
    return jdbc.withConnection(c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE " + s + "code_files SET deleted = true, deleted_at = now()"
          + " WHERE codebase = ? AND path = ANY (?) AND NOT deleted")) {
        ps.setString(1, codebase);
        ps.setArray(2, c.createArrayOf("text", paths.toArray()));
        return ps.executeUpdate();
      }
    });
  }

  Jdbc jdbc() {
    return jdbc;
  }

  String prefix() {
    return s;
  }
}
