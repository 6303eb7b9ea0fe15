package dev.autopilot.internal.code;

import dev.autopilot.internal.Jdbc;
import dev.autopilot.code.RegistrySource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * registry-sync: manifests of ingested codebases (read from disk, found through code_files) and
 * the external imports code-ingest recorded become package_usage (replaced per codebase) and
 * package_registry (upserted, last_seen bumped); host RegistrySources add to the registry.
 */
final class RegistrySync {

  record Result(int usages, int packages, List<String> problems) {}

  private final Jdbc jdbc;
  private final String s;

  RegistrySync(DataSource ds, String schema) {
    this.jdbc = new Jdbc(ds);
    this.s = Jdbc.quoteIdent(schema) + ".";
  }

  Result run(Map<String, Path> roots, List<RegistrySource> sources, Consumer<String> problems) {
    List<String> errors = new ArrayList<>();
    Consumer<String> report = m -> {
      errors.add(m);
      problems.accept(m);
    };
    int usages = 0;
    Set<String> registry = new HashSet<>();
    for (Map.Entry<String, Path> root : roots.entrySet()) {
      String cb = root.getKey();
      List<String[]> rows = new ArrayList<>(); // manifest, ecosystem, name, spec, scope
      List<String> manifests = jdbc.query("SELECT path FROM " + s + "code_files WHERE codebase = ? AND NOT deleted"
          + " ORDER BY path", ps -> ps.setString(1, cb), rs -> rs.getString(1));
      for (String path : manifests) {
        if (!Manifests.isManifest(path)) {
          continue;
        }
        try {
          String text = Files.readString(root.getValue().resolve(path), StandardCharsets.UTF_8);
          for (Manifests.Dep d : Manifests.parse(path, text)) {
            rows.add(new String[] {path, d.ecosystem(), d.name(), d.versionSpec(), d.scope()});
          }
        } catch (Exception e) {
          report.accept("codebase '" + cb + "': manifest " + path + " could not be read: " + e.getMessage());
        }
      }
      jdbc.query("SELECT ecosystem, name FROM " + s + "code_external_imports WHERE codebase = ?",
          ps -> ps.setString(1, cb), rs -> rows.add(new String[] {"(imports)", rs.getString(1), rs.getString(2), "", "import"}));
      usages += replaceUsage(cb, rows);
      for (String[] r : rows) {
        if (!r[4].equals("import")) {
          registry.add(r[1] + "\u0000" + r[2] + "\u0000" + r[3] + "\u0000manifest");
        }
      }
    }
    for (RegistrySource src : sources) {
      try {
        for (RegistrySource.Package p : src.packages()) {
          registry.add(p.ecosystem() + "\u0000" + p.name() + "\u0000" + (p.version() == null ? "" : p.version())
              + "\u0000" + src.name());
        }
      } catch (Exception e) {
        report.accept("registry source '" + src.name() + "' failed: " + e);
      }
    }
    int packages = upsertRegistry(registry);
    return new Result(usages, packages, errors);
  }

  private int replaceUsage(String codebase, List<String[]> rows) {
    return jdbc.inTransaction(c -> {
      Jdbc.update(c, "CREATE TEMP TABLE IF NOT EXISTS autopilot_usage_in (manifest_path text, ecosystem text,"
          + " name text, version_spec text, scope text) ON COMMIT DROP", Jdbc.NONE);
      try (var ps = c.prepareStatement("INSERT INTO autopilot_usage_in VALUES (?, ?, ?, ?, ?)")) {
        for (String[] r : rows) {
          for (int i = 0; i < 5; i++) {
            ps.setString(i + 1, r[i]);
          }
          ps.addBatch();
        }
        ps.executeBatch();
      }
      Jdbc.update(c, "DELETE FROM " + s + "package_usage u WHERE u.codebase = ? AND NOT EXISTS (SELECT 1 FROM"
          + " autopilot_usage_in i WHERE i.manifest_path = u.manifest_path AND i.ecosystem = u.ecosystem"
          + " AND i.name = u.name)", ps -> ps.setString(1, codebase));
      // duplicates within one manifest (a dependency listed twice): the first wins
      return Jdbc.update(c, "INSERT INTO " + s + "package_usage (codebase, manifest_path, ecosystem, name,"
          + " version_spec, scope) SELECT DISTINCT ON (manifest_path, ecosystem, name) ?, manifest_path, ecosystem,"
          + " name, version_spec, scope FROM autopilot_usage_in ORDER BY manifest_path, ecosystem, name"
          + " ON CONFLICT (codebase, manifest_path, ecosystem, name) DO UPDATE SET version_spec ="
          + " excluded.version_spec, scope = excluded.scope, recorded_at = now() WHERE (package_usage.version_spec,"
          + " package_usage.scope) IS DISTINCT FROM (excluded.version_spec, excluded.scope)",
          ps -> ps.setString(1, codebase));
    });
  }


  private int upsertRegistry(Set<String> registry) {
    return jdbc.withConnection(c -> {
      try (var ps = c.prepareStatement("INSERT INTO " + s + "package_registry (ecosystem, name, version, source)"
          + " VALUES (?, ?, ?, ?) ON CONFLICT (ecosystem, name, version) DO UPDATE SET last_seen = now()")) {
        for (String r : registry) {
          String[] f = r.split("\u0000", -1);
          for (int i = 0; i < 4; i++) {
            ps.setString(i + 1, f[i]);
          }
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return registry.size();
    });
  }
}
