package dev.autopilot.internal.knowledge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.autopilot.ConfigurationException;
import dev.autopilot.internal.Jdbc;
import dev.autopilot.spi.JavaTask;
import dev.autopilot.spi.TaskContext;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * knowledge-migration: JSON knowledge files from configured directories and the classpath,
 * validated against the bundled JSON Schema, normalised, upserted by (type, id) with a content
 * hash. A bad file becomes one {@code knowledge_rejects} row naming it; the others load. An
 * unchanged rerun writes nothing (upserts compare hashes; a reject is keyed by file and hash).
 */
final class KnowledgeMigration implements JavaTask {

  static final String DIRS = "autopilot.knowledge.dirs";
  static final String CLASSPATH = "autopilot.knowledge.classpath";
  static final String MAX_FILE_SIZE = "autopilot.knowledge.max-file-size";
  static final String SCHEMA_RESOURCE = "/dev/autopilot/knowledge/knowledge-artifact.schema.json";
  private static final Logger log = LoggerFactory.getLogger(KnowledgeMigration.class);
  private static final JsonSchema SCHEMA = loadSchema();

  private static JsonSchema loadSchema() {
    try (InputStream in = KnowledgeMigration.class.getResourceAsStream(SCHEMA_RESOURCE)) {
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
    } catch (IOException e) {
      throw new IllegalStateException("bundled schema " + SCHEMA_RESOURCE + " unreadable", e);
    }
  }

  /** A normalised artifact ready to upsert. */
  record Artifact(String type, String id, String title, String json, String hash, String source) {
    String key() {
      return type + "\u0000" + id;
    }
  }

  record Reject(String source, String reason, String hash) {}

  private final String prefix;

  KnowledgeMigration(String logPrefix) {
    this.prefix = logPrefix;
  }

  @Override
  public void run(TaskContext ctx) throws Exception {
    String dirs = ctx.config().get("knowledge.dirs", "");
    String cp = ctx.config().get("knowledge.classpath", "autopilot/knowledge");
    long limit = ctx.config().getInt("knowledge.max-file-size", 1 << 20);
    List<KnowledgeSources.Source> sources = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String d : dirs.split("[,;" + File.pathSeparator + "]")) {
      if (d.isBlank()) {
        continue;
      }
      Path p = Paths.get(d.trim());
      if (Files.isDirectory(p)) {
        sources.addAll(KnowledgeSources.directory(p));
      } else {
        missing.add(d.trim());
      }
    }
    if (!cp.isBlank() && !cp.equalsIgnoreCase("none")) {
      ClassLoader cl = Thread.currentThread().getContextClassLoader();
      sources.addAll(KnowledgeSources.classpath(cl != null ? cl : getClass().getClassLoader(), cp));
    }
    if (sources.isEmpty() && missing.isEmpty()) {
      ctx.skip("no knowledge files: set " + DIRS + " or add classpath resources under " + cp + "/");
      return;
    }
    List<Artifact> accepted = new ArrayList<>();
    List<Reject> rejects = new ArrayList<>();
    List<String> loadedSources = new ArrayList<>();
    Map<String, String> seen = new HashMap<>();
    int i = 0;
    for (KnowledgeSources.Source s : sources) {
      ctx.checkCancelled();
      ctx.progress(i++, sources.size(), s.name());
      read(s, limit, seen, accepted, rejects, loadedSources);
    }
    int[] written = write(ctx, accepted, rejects, loadedSources);
    for (Reject r : rejects) {
      log.warn("{}knowledge-migration: rejected {}: {}", prefix, r.source(), r.reason());
    }
    log.info("{}knowledge-migration: {} file(s), {} artifact(s) valid, {} written, {} file(s) rejected ({} new reject row(s))",
        prefix, sources.size(), accepted.size(), written[0], rejects.size(), written[1]);
    ctx.progress(sources.size(), sources.size(), "done");
    if (!missing.isEmpty()) {
      throw new ConfigurationException(DIRS, dirs, "not a directory: " + String.join(", ", missing)
          + " (the other sources were loaded)");
    }
  }

  private void read(KnowledgeSources.Source s, long limit, Map<String, String> seen, List<Artifact> accepted,
      List<Reject> rejects, List<String> loadedSources) {
    byte[] data;
    try (InputStream in = s.open()) {
      data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
    } catch (IOException e) {
      rejects.add(new Reject(s.name(), "cannot read: " + e, "unreadable"));
      return;
    }
    String hash = Json.sha256(data);
    List<Artifact> mine = new ArrayList<>();
    try {
      if (data.length > limit) {
        throw new TextFiles.BadFile("file is larger than the limit of " + limit + " bytes (" + MAX_FILE_SIZE + ")");
      }
      JsonNode root = parse(TextFiles.utf8(data));
      List<JsonNode> elements = new ArrayList<>();
      if (root.isArray()) {
        root.forEach(elements::add);
        if (elements.isEmpty()) {
          throw new TextFiles.BadFile("no artifacts: the top-level array is empty");
        }
      } else {
        elements.add(root);
      }
      Map<String, String> local = new HashMap<>();
      for (int k = 0; k < elements.size(); k++) {
        String where = root.isArray() ? "element [" + k + "] " : "";
        TreeSet<String> errors = SCHEMA.validate(elements.get(k)).stream().map(ValidationMessage::getMessage)
            .collect(Collectors.toCollection(TreeSet::new));
        if (!errors.isEmpty()) {
          throw new TextFiles.BadFile("schema violation: " + where + String.join("; ", errors));
        }
        Artifact a = normalise((ObjectNode) elements.get(k), s.name());
        String first = seen.getOrDefault(a.key(), local.get(a.key()));
        if (first != null) {
          throw new TextFiles.BadFile("duplicate artifact (type '" + a.type() + "', id '" + a.id()
              + "'): already defined in " + first);
        }
        local.put(a.key(), s.name());
        mine.add(a);
      }
    } catch (TextFiles.BadFile e) {
      rejects.add(new Reject(s.name(), e.getMessage(), hash));
      return;
    }
    mine.forEach(a -> seen.put(a.key(), a.source()));
    accepted.addAll(mine);
    loadedSources.add(s.name());
  }

  private static JsonNode parse(String text) throws TextFiles.BadFile {
    try {
      JsonNode n = Json.parse(text);
      if (n == null || n.isMissingNode()) {
        throw new TextFiles.BadFile("malformed JSON: the file is empty");
      }
      if (!n.isObject() && !n.isArray()) {
        throw new TextFiles.BadFile("schema violation: expected an artifact object or an array of them, found "
            + n.getNodeType().name().toLowerCase(Locale.ROOT));
      }
      return n;
    } catch (JsonProcessingException e) {
      String at = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
          + ", column " + e.getLocation().getColumnNr();
      throw new TextFiles.BadFile("malformed JSON" + at + ": " + e.getOriginalMessage());
    }
  }

  /** Trims names, lower-cases the type, sorts and de-duplicates tags (lower-case). */
  static Artifact normalise(ObjectNode in, String source) {
    ObjectNode a = in.deepCopy();
    String type = a.get("type").asText().trim().toLowerCase(Locale.ROOT);
    String id = a.get("id").asText().strip();
    String title = a.get("title").asText().strip();
    a.put("type", type);
    a.put("id", id);
    a.put("title", title);
    if (a.has("tags")) {
      TreeSet<String> tags = new TreeSet<>();
      a.get("tags").forEach(t -> tags.add(t.asText().strip().toLowerCase(Locale.ROOT)));
      ArrayNode arr = a.putArray("tags");
      tags.forEach(arr::add);
    }
    String json = Json.canonical(a);
    return new Artifact(type, id, title, json, Json.sha256(json), source);
  }

  /** @return rows written: artifacts inserted or changed, new reject rows */
  private int[] write(TaskContext ctx, List<Artifact> accepted, List<Reject> rejects, List<String> loadedSources) {
    String q = Jdbc.quoteIdent(ctx.schema());
    return new Jdbc(ctx.dataSource()).inTransaction((Connection c) -> {
      int artifacts = 0;
      for (Artifact a : accepted) {
        artifacts += Jdbc.update(c, "INSERT INTO " + q + ".knowledge_artifacts (artifact_type, artifact_id, title, content,"
            + " content_hash, source_file) VALUES (?, ?, ?, ?::jsonb, ?, ?)"
            + " ON CONFLICT (artifact_type, artifact_id) DO UPDATE SET title = excluded.title, content = excluded.content,"
            + " content_hash = excluded.content_hash, source_file = excluded.source_file, updated_at = now()"
            + " WHERE knowledge_artifacts.content_hash <> excluded.content_hash"
            + " OR knowledge_artifacts.source_file <> excluded.source_file", ps -> {
              ps.setString(1, a.type());
              ps.setString(2, a.id());
              ps.setString(3, a.title());
              ps.setString(4, a.json());
              ps.setString(5, a.hash());
              ps.setString(6, a.source());
            });
      }
      // a file that loads now has no current problem: its old rejects go
      for (String s : loadedSources) {
        Jdbc.update(c, "DELETE FROM " + q + ".knowledge_rejects WHERE source_file = ?", ps -> ps.setString(1, s));
      }
      int rejected = 0;
      for (Reject r : rejects) {
        rejected += Jdbc.update(c, "INSERT INTO " + q + ".knowledge_rejects (source_file, reason, content_hash)"
            + " VALUES (?, ?, ?) ON CONFLICT (source_file, content_hash) DO NOTHING", ps -> {
              ps.setString(1, r.source());
              ps.setString(2, r.reason());
              ps.setString(3, r.hash());
            });
      }
      return new int[] {artifacts, rejected};
    });
  }
}
