package dev.autopilot.internal.knowledge;

import dev.autopilot.internal.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the {@code templates} table for one source ({@code local} or {@code git}): upsert only
 * when the content hash differs, delete by path. A path owned by the other source is left alone.
 */
final class TemplatesTable {

  /** One template file. */
  record Template(String path, String content, String hash) {
    String name() {
      int slash = path.lastIndexOf('/');
      return slash < 0 ? path : path.substring(slash + 1);
    }
  }

  private static final Map<String, String> LANGUAGES = Map.ofEntries(
      Map.entry("java", "java"), Map.entry("kt", "kotlin"), Map.entry("py", "python"), Map.entry("js", "javascript"),
      Map.entry("ts", "typescript"), Map.entry("go", "go"), Map.entry("rs", "rust"), Map.entry("ex", "elixir"),
      Map.entry("exs", "elixir"), Map.entry("rb", "ruby"), Map.entry("sql", "sql"), Map.entry("sh", "shell"),
      Map.entry("md", "markdown"), Map.entry("yml", "yaml"), Map.entry("yaml", "yaml"), Map.entry("json", "json"),
      Map.entry("xml", "xml"), Map.entry("html", "html"), Map.entry("css", "css"), Map.entry("toml", "toml"),
      Map.entry("mustache", "mustache"), Map.entry("hbs", "handlebars"), Map.entry("tpl", "template"),
      Map.entry("dockerfile", "dockerfile"));

  static String language(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    if (name.equals("dockerfile")) {
      return "dockerfile";
    }
    int dot = name.lastIndexOf('.');
    return dot < 0 ? null : LANGUAGES.get(name.substring(dot + 1));
  }

  private final String q;
  private final String source;

  TemplatesTable(String schema, String source) {
    this.q = Jdbc.quoteIdent(schema);
    this.source = source;
  }

  /** @return path -> content hash of this source's rows */
  Map<String, String> hashes(Connection c) throws SQLException {
    Map<String, String> out = new HashMap<>();
    Jdbc.query(c, "SELECT path, content_hash FROM " + q + ".templates WHERE source = ?", ps -> ps.setString(1, source),
        rs -> out.put(rs.getString(1), rs.getString(2)));
    return out;
  }

  /** @return 1 when written, 0 when unchanged or the path belongs to the other source */
  int upsert(Connection c, Template t, String commit) throws SQLException {
    return Jdbc.update(c, "INSERT INTO " + q + ".templates (path, name, language, content, content_hash, source, git_commit)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET name = excluded.name,"
        + " language = excluded.language, content = excluded.content, content_hash = excluded.content_hash,"
        + " git_commit = excluded.git_commit, updated_at = now()"
        + " WHERE templates.source = excluded.source AND templates.content_hash <> excluded.content_hash", ps -> {
          ps.setString(1, t.path());
          ps.setString(2, t.name());
          ps.setString(3, language(t.path()));
          ps.setString(4, t.content());
          ps.setString(5, t.hash());
          ps.setString(6, source);
          ps.setString(7, commit);
        });
  }

  /** @return rows deleted */
  int delete(Connection c, Collection<String> paths) throws SQLException {
    if (paths.isEmpty()) {
      return 0;
    }
    return Jdbc.update(c, "DELETE FROM " + q + ".templates WHERE source = ? AND path = ANY (?)", ps -> {
      ps.setString(1, source);
      ps.setArray(2, ps.getConnection().createArrayOf("text", paths.toArray()));
    });
  }

  /** Paths of this source not in {@code keep}. */
  List<String> others(Connection c, Collection<String> keep) throws SQLException {
    return Jdbc.query(c, "SELECT path FROM " + q + ".templates WHERE source = ? AND NOT (path = ANY (?)) ORDER BY path",
        ps -> {
          ps.setString(1, source);
          ps.setArray(2, ps.getConnection().createArrayOf("text", keep.toArray()));
        }, rs -> rs.getString(1));
  }
}
