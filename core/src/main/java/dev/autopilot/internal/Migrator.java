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
 * Applies the SQL bundle's migrations ({@code db/autopilot/V###__name.sql} on the class path) to
 * the configured schema. Keeps its own history table with checksums; holds a session advisory
 * lock while it works, so instances starting together migrate once.
 *
 * <p>Migration files use unqualified names: they run with {@code search_path} set to the schema
 * (then {@code public}), so a DBA can apply them with psql alone.
 */
public final class Migrator {

  public static final String LOCATION = "db/autopilot";
  private static final Pattern FILE = Pattern.compile("V(\\d+)__([A-Za-z0-9_]+)\\.sql");
  private static final Logger log = LoggerFactory.getLogger(Migrator.class);

  /** One migration file. */
  public record Migration(int version, String description, String file, String sql, long checksum) {}

  /** What a migrate call did. */
  public record Result(int applied, int current) {}

  private final DataSource dataSource;
  private final String schema;
  private final ClassLoader loader;
  private final String logPrefix;

  public Migrator(DataSource dataSource, String schema, ClassLoader loader, String logPrefix) {
    this.dataSource = dataSource;
    this.schema = schema;
    this.loader = loader;
    this.logPrefix = logPrefix;
  }

  public Result migrate() {
    List<Migration> migrations = load(loader);
    String q = Jdbc.quoteIdent(schema);
    Connection opened;
    try {
      opened = dataSource.getConnection();
    } catch (SQLException e) {
      throw new AutopilotException("cannot connect to the database through the DataSource given to"
          + " Autopilot.builder(...): " + oneLine(e.getMessage()), e);
    }
    try (Connection c = opened) {
      c.setAutoCommit(true);
      long lockKey = lockKey(schema);
      try (Statement s = c.createStatement()) {
        s.execute("SELECT pg_advisory_lock(" + lockKey + ")");
      }
      try {
        try (Statement s = c.createStatement()) {
          createSchema(c, q);
          s.execute("CREATE TABLE IF NOT EXISTS " + q + ".autopilot_schema_history ("
              + " version int PRIMARY KEY, description text NOT NULL, file text NOT NULL,"
              + " checksum bigint NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(),"
              + " applied_by text NOT NULL DEFAULT current_user, execution_ms int NOT NULL)");
        }
        Map<Integer, Long> applied = new TreeMap<>();
        for (long[] row : Jdbc.query(c, "SELECT version, checksum FROM " + q + ".autopilot_schema_history",
            Jdbc.NONE, rs -> new long[] {rs.getInt(1), rs.getLong(2)})) {
          applied.put((int) row[0], row[1]);
        }
        int count = 0;
        int current = applied.keySet().stream().mapToInt(i -> i).max().orElse(0);
        for (Migration m : migrations) {
          Long sum = applied.get(m.version());
          if (sum != null) {
            if (sum != m.checksum()) {
              throw new AutopilotException("migration " + m.file() + " was changed after it was applied to schema "
                  + schema + " (checksum " + sum + " recorded, " + m.checksum() + " now)");
            }
            continue;
          }
          apply(c, m, q);
          count++;
          current = Math.max(current, m.version());
        }
        if (count > 0) {
          log.info("{}migrated schema {} to version {} ({} migration(s) applied)", logPrefix, schema, current, count);
        }
        return new Result(count, current);
      } finally {
        try (Statement s = c.createStatement()) {
          s.execute("SELECT pg_advisory_unlock(" + lockKey + ")");
        }
      }
    } catch (SQLException e) {
      throw new AutopilotException("migrating schema " + schema + " failed: " + oneLine(e.getMessage()), e);
    }
  }

  /** CREATE SCHEMA, or an error naming the privilege the role lacks and how to grant it. */
  private void createSchema(Connection c, String q) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA IF NOT EXISTS " + q);
    } catch (SQLException e) {
      if (!"42501".equals(e.getSQLState())) {
        throw e;
      }
      String user = Jdbc.query(c, "SELECT current_user || ' ' || current_database()", Jdbc.NONE, rs -> rs.getString(1))
          .get(0);
      String role = user.substring(0, user.indexOf(' '));
      String db = user.substring(user.indexOf(' ') + 1);
      throw new AutopilotException("role " + role + " lacks the CREATE privilege on database " + db
          + ", needed to create schema " + schema + " (setting autopilot.schema): GRANT CREATE ON DATABASE "
          + Jdbc.quoteIdent(db) + " TO " + Jdbc.quoteIdent(role) + ", or create the schema owned by " + role, e);
    }
    boolean mayCreate = Jdbc.query(c, "SELECT has_schema_privilege(?, 'CREATE')", ps -> ps.setString(1, schema),
        rs -> rs.getBoolean(1)).get(0);
    if (!mayCreate) {
      String role = Jdbc.query(c, "SELECT current_user", Jdbc.NONE, rs -> rs.getString(1)).get(0);
      throw new AutopilotException("role " + role + " lacks the CREATE privilege on schema " + schema
          + " (setting autopilot.schema): GRANT CREATE ON SCHEMA " + q + " TO " + Jdbc.quoteIdent(role));
    }
  }

  private static String oneLine(String s) {
    return s == null ? null : s.replaceAll("\\s*\\R\\s*", " ");
  }

  private void apply(Connection c, Migration m, String q) throws SQLException {
    long t0 = System.nanoTime();
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.execute("SET LOCAL search_path TO " + q + ", public");
      s.execute(m.sql());
      int ms = (int) ((System.nanoTime() - t0) / 1_000_000);
      Jdbc.update(c, "INSERT INTO " + q + ".autopilot_schema_history(version, description, file, checksum, execution_ms)"
          + " VALUES (?, ?, ?, ?, ?)", ps -> {
            ps.setInt(1, m.version());
            ps.setString(2, m.description());
            ps.setString(3, m.file());
            ps.setLong(4, m.checksum());
            ps.setInt(5, ms);
          });
      c.commit();
    } catch (SQLException e) {
      c.rollback();
      throw new AutopilotException("migration " + m.file() + " failed on schema " + schema + ": "
          + oneLine(e.getMessage()), e);
    } finally {
      c.setAutoCommit(true);
    }
  }

  static long lockKey(String schema) {
    CRC32 crc = new CRC32();
    crc.update(("autopilot-migrate:" + schema).getBytes(StandardCharsets.UTF_8));
    return 0x4150_0000_0000_0000L | crc.getValue();
  }

  /** Finds and reads every migration on the class path, sorted by version. */
  public static List<Migration> load(ClassLoader loader) {
    Map<String, URL> files = new TreeMap<>();
    try {
      Enumeration<URL> roots = loader.getResources(LOCATION);
      while (roots.hasMoreElements()) {
        URL root = roots.nextElement();
        for (String name : list(root)) {
          if (FILE.matcher(name).matches()) {
            files.putIfAbsent(name, loader.getResource(LOCATION + "/" + name));
          }
        }
      }
    } catch (IOException | URISyntaxException e) {
      throw new AutopilotException("cannot list SQL migrations in " + LOCATION + ": " + e.getMessage(), e);
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
        throw new AutopilotException("cannot read migration " + f.getKey() + ": " + e.getMessage(), e);
      }
      CRC32 crc = new CRC32();
      crc.update(sql.getBytes(StandardCharsets.UTF_8));
      Migration mig = new Migration(version, m.group(2).replace('_', ' '), f.getKey(), sql, crc.getValue());
      Migration dup = byVersion.put(version, mig);
      if (dup != null) {
        throw new AutopilotException("two migrations with version " + version + ": " + dup.file() + " and " + f.getKey());
      }
    }
    if (byVersion.isEmpty()) {
      throw new AutopilotException("no SQL migrations found in " + LOCATION + " (is autopilot-sql on the class path?)");
    }
    return new ArrayList<>(byVersion.values());
  }

  private static List<String> list(URL root) throws IOException, URISyntaxException {
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
        String prefix = LOCATION + "/";
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
