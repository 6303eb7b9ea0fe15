package dev.autopilot.internal;

import dev.autopilot.AutopilotException;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the SQL migrations of core and of every pack present: module {@code M}'s files are
 * {@code db/autopilot/M/V###__name.sql} on the class path ({@code core} in autopilot-sql, each pack
 * in its own jar). Core's run first, then the packs' in the order given. One history table
 * ({@code autopilot_schema_history}, keyed by module and version) with checksums; a session
 * advisory lock while it works, so instances starting together migrate once.
 *
 * <p>Upgrade from the single layout: a database migrated by the single-bundle build (one history
 * keyed by version alone, up to version {@value #LEGACY_VERSION}) already holds every table of
 * every pack. Its history rows are kept as module {@code legacy}, and each module's migrations
 * below version {@value #FIRST_NEW_VERSION} (the split of those same files) are recorded as
 * applied without running, whenever that module first meets the database. Later migrations
 * (version {@value #FIRST_NEW_VERSION} and up) run as usual.
 *
 * <p>Migration files use unqualified names: they run with {@code search_path} set to the schema
 * (then {@code public}), so a DBA can apply them with psql alone.
 */
public final class Migrator {

  public static final String LOCATION = "db/autopilot";
  /** The module whose migrations autopilot-sql holds. */
  public static final String CORE = "core";
  /** The last version of the single layout. */
  public static final int LEGACY_VERSION = 50;
  /** Module migrations below this version are the split of the single layout's files. */
  public static final int FIRST_NEW_VERSION = 100;
  private static final String LEGACY = "legacy";
  private static final Pattern FILE = Pattern.compile("V(\\d+)__([A-Za-z0-9_]+)\\.sql");
  private static final Pattern MODULE = Pattern.compile("[a-z][a-z0-9-]{0,39}");
  private static final Logger log = LoggerFactory.getLogger(Migrator.class);

  /** One migration file. */
  public record Migration(String module, int version, String description, String file, String sql, long checksum) {}

  /** What a migrate call did: migrations applied, and core's version after it. */
  public record Result(int applied, int current) {}

  private final DataSource dataSource;
  private final String schema;
  private final ClassLoader loader;
  private final String logPrefix;
  private final List<String> modules;

  /**
   * @param modules core and the packs present, core first
   */
  public Migrator(DataSource dataSource, String schema, ClassLoader loader, String logPrefix, List<String> modules) {
    this.dataSource = dataSource;
    this.schema = schema;
    this.loader = loader;
    this.logPrefix = logPrefix;
    this.modules = List.copyOf(modules);
  }

  /** Migrates core and every pack found on {@code loader}'s class path (tests, tools). */
  public Migrator(DataSource dataSource, String schema, ClassLoader loader, String logPrefix) {
    this(dataSource, schema, loader, logPrefix, Packs.migrationModules(Packs.discover(loader, logPrefix)));
  }

  public Result migrate() {
    Map<String, List<Migration>> byModule = new LinkedHashMap<>();
    for (String m : modules) {
      byModule.put(m, load(loader, m));
    }
    String q = Jdbc.quoteIdent(schema);
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      long lockKey = lockKey(schema);
      try (Statement s = c.createStatement()) {
        s.execute("SELECT pg_advisory_lock(" + lockKey + ")");
      }
      try {
        try (Statement s = c.createStatement()) {
          s.execute("CREATE SCHEMA IF NOT EXISTS " + q);
          s.execute("CREATE TABLE IF NOT EXISTS " + q + ".autopilot_schema_history ("
              + " module text NOT NULL, version int NOT NULL, description text NOT NULL, file text NOT NULL,"
              + " checksum bigint NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(),"
              + " applied_by text NOT NULL DEFAULT current_user, execution_ms int NOT NULL,"
              + " PRIMARY KEY (module, version))");
        }
        boolean legacy = upgradeLegacyHistory(c, q);
        int count = 0;
        int core = 0;
        for (Map.Entry<String, List<Migration>> e : byModule.entrySet()) {
          Map<Integer, Long> applied = new TreeMap<>();
          for (long[] row : Jdbc.query(c, "SELECT version, checksum FROM " + q + ".autopilot_schema_history"
              + " WHERE module = ?", ps -> ps.setString(1, e.getKey()), rs -> new long[] {rs.getInt(1), rs.getLong(2)})) {
            applied.put((int) row[0], row[1]);
          }
          int baselined = 0;
          for (Migration m : e.getValue()) {
            Long sum = applied.get(m.version());
            if (sum != null) {
              if (sum != m.checksum()) {
                throw new AutopilotException("migration " + m.module() + "/" + m.file() + " was changed after it was"
                    + " applied to schema " + schema + " (checksum " + sum + " recorded, " + m.checksum() + " now)");
              }
            } else if (legacy && m.version() < FIRST_NEW_VERSION) {
              record(c, q, m, 0);
              baselined++;
            } else {
              apply(c, m, q);
              count++;
            }
          }
          if (baselined > 0) {
            log.info("{}module {}: {} migration(s) recorded as applied by the single layout (version {})", logPrefix,
                e.getKey(), baselined, LEGACY_VERSION);
          }
        }
        core = Jdbc.queryOne(c, "SELECT coalesce(max(version), 0) FROM " + q + ".autopilot_schema_history"
            + " WHERE module = ?", ps -> ps.setString(1, CORE), rs -> rs.getInt(1)).orElse(0);
        if (count > 0) {
          log.info("{}migrated schema {} ({} migration(s) applied; modules {}; core at version {})", logPrefix, schema,
              count, String.join(", ", modules), core);
        }
        return new Result(count, core);
      } finally {
        try (Statement s = c.createStatement()) {
          s.execute("SELECT pg_advisory_unlock(" + lockKey + ")");
        }
      }
    } catch (SQLException e) {
      throw new AutopilotException("migrating schema " + schema + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * Turns the single layout's history (keyed by version) into module {@code legacy} rows.
   *
   * @return whether this database was migrated by the single layout
   */
  private boolean upgradeLegacyHistory(Connection c, String q) throws SQLException {
    boolean hasModule = Jdbc.queryOne(c, "SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = ?::regclass"
        + " AND attname = 'module' AND NOT attisdropped)", ps -> ps.setString(1, q + ".autopilot_schema_history"),
        rs -> rs.getBoolean(1)).orElse(true);
    if (!hasModule) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("ALTER TABLE " + q + ".autopilot_schema_history ADD COLUMN module text NOT NULL DEFAULT '" + LEGACY + "'");
        s.execute("ALTER TABLE " + q + ".autopilot_schema_history ALTER COLUMN module DROP DEFAULT");
        s.execute("ALTER TABLE " + q + ".autopilot_schema_history DROP CONSTRAINT autopilot_schema_history_pkey");
        s.execute("ALTER TABLE " + q + ".autopilot_schema_history ADD PRIMARY KEY (module, version)");
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
      log.info("{}schema {} was migrated by the single layout: its history is kept as module '{}'", logPrefix, schema,
          LEGACY);
    }
    Integer legacy = Jdbc.queryOne(c, "SELECT max(version) FROM " + q + ".autopilot_schema_history WHERE module = ?",
        ps -> ps.setString(1, LEGACY), rs -> (Integer) rs.getObject(1)).orElse(null);
    if (legacy != null && legacy < LEGACY_VERSION) {
      throw new AutopilotException("schema " + schema + " is at version " + legacy + " of the single layout; start it"
          + " once with a 0.1 build of the single layout (version " + LEGACY_VERSION + ") before this one");
    }
    return legacy != null;
  }

  private void apply(Connection c, Migration m, String q) throws SQLException {
    long t0 = System.nanoTime();
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.execute("SET LOCAL search_path TO " + q + ", public");
      s.execute(m.sql());
      record(c, q, m, (int) ((System.nanoTime() - t0) / 1_000_000));
      c.commit();
    } catch (SQLException e) {
      c.rollback();
      throw new AutopilotException("migration " + m.module() + "/" + m.file() + " failed on schema " + schema + ": "
          + e.getMessage(), e);
    } finally {
      c.setAutoCommit(true);
    }
  }

  private static void record(Connection c, String q, Migration m, int ms) throws SQLException {
    Jdbc.update(c, "INSERT INTO " + q + ".autopilot_schema_history(module, version, description, file, checksum,"
        + " execution_ms) VALUES (?, ?, ?, ?, ?, ?)", ps -> {
          ps.setString(1, m.module());
          ps.setInt(2, m.version());
          ps.setString(3, m.description());
          ps.setString(4, m.file());
          ps.setLong(5, m.checksum());
          ps.setInt(6, ms);
        });
  }

  static long lockKey(String schema) {
    CRC32 crc = new CRC32();
    crc.update(("autopilot-migrate:" + schema).getBytes(StandardCharsets.UTF_8));
    return 0x4150_0000_0000_0000L | crc.getValue();
  }

  /** Finds and reads every migration of one module on the class path, sorted by version. */
  public static List<Migration> load(ClassLoader loader, String module) {
    if (!MODULE.matcher(module).matches()) {
      throw new AutopilotException("bad migration module name '" + module + "' (lower-case letters, digits, '-')");
    }
    String location = LOCATION + "/" + module;
    Map<String, URL> files = new TreeMap<>();
    try {
      Enumeration<URL> roots = loader.getResources(location);
      while (roots.hasMoreElements()) {
        URL root = roots.nextElement();
        for (String name : list(root, location)) {
          if (FILE.matcher(name).matches()) {
            files.putIfAbsent(name, loader.getResource(location + "/" + name));
          }
        }
      }
    } catch (IOException | URISyntaxException e) {
      throw new AutopilotException("cannot list SQL migrations in " + location + ": " + e.getMessage(), e);
    }
    Map<Integer, Migration> byVersion = new TreeMap<>();
    for (Map.Entry<String, URL> f : files.entrySet()) {
      Matcher m = FILE.matcher(f.getKey());
      m.matches();
      int version = Integer.parseInt(m.group(1));
      String sql;
      try (InputStream in = f.getValue().openStream()) {
        sql = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
      } catch (IOException e) {
        throw new AutopilotException("cannot read migration " + location + "/" + f.getKey() + ": " + e.getMessage(), e);
      }
      CRC32 crc = new CRC32();
      crc.update(sql.getBytes(StandardCharsets.UTF_8));
      Migration mig = new Migration(module, version, m.group(2).replace('_', ' '), f.getKey(), sql, crc.getValue());
      Migration dup = byVersion.put(version, mig);
      if (dup != null) {
        throw new AutopilotException("two migrations of module " + module + " with version " + version + ": "
            + dup.file() + " and " + f.getKey());
      }
    }
    if (byVersion.isEmpty() && CORE.equals(module)) {
      throw new AutopilotException("no SQL migrations found in " + location + " (is autopilot-sql on the class path?)");
    }
    return new ArrayList<>(byVersion.values());
  }

  private static List<String> list(URL root, String location) throws IOException, URISyntaxException {
    List<String> names = new ArrayList<>();
    if ("file".equals(root.getProtocol())) {
      Path dir = Paths.get(root.toURI());
      try (Stream<Path> s = Files.list(dir)) {
        s.forEach(p -> names.add(p.getFileName().toString()));
      }
    } else if ("jar".equals(root.getProtocol())) {
      JarURLConnection conn = (JarURLConnection) root.openConnection();
      conn.setUseCaches(false);
      try (JarFile jar = conn.getJarFile()) {
        Enumeration<JarEntry> entries = jar.entries();
        String prefix = location + "/";
        while (entries.hasMoreElements()) {
          String n = entries.nextElement().getName();
          if (n.startsWith(prefix) && n.indexOf('/', prefix.length()) < 0 && n.length() > prefix.length()) {
            names.add(n.substring(prefix.length()));
          }
        }
      }
    }
    return names;
  }
}
