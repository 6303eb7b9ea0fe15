package dev.autopilot.internal.backup;

import dev.autopilot.ConfigurationException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds {@code pg_dump} and {@code pg_restore} of the server's major version: the configured
 * path ({@code autopilot.backup.pg-dump}) only, when set; else the PATH and the usual install
 * locations, the first of the right major version winning. A newer pg_dump could dump an older
 * server, but its archives need the newer pg_restore; we insist on the same major version.
 */
record PgTools(Path pgDump, Path pgRestore, String version) {

  static final String SETTING = "autopilot.backup.pg-dump";
  private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+)((?:\\.\\d+)*)");

  static PgTools locate(Optional<String> configured, int serverMajor, String pathVariable) {
    if (configured.isPresent()) {
      Path p = Path.of(configured.get().trim());
      String v;
      try {
        v = version(p);
      } catch (IOException e) {
        throw new ConfigurationException(SETTING, configured.get(), "cannot run it: " + e.getMessage());
      }
      if (major(v) != serverMajor) {
        throw new ConfigurationException(SETTING, configured.get(),
            "it is pg_dump " + v + " but the server is PostgreSQL " + serverMajor);
      }
      return withRestore(p, v);
    }
    List<String> tried = new ArrayList<>();
    for (Path p : candidates(serverMajor, pathVariable)) {
      if (!Files.isExecutable(p)) {
        continue;
      }
      try {
        String v = version(p);
        if (major(v) == serverMajor) {
          return withRestore(p, v);
        }
        tried.add(p + " (" + v + ")");
      } catch (IOException e) {
        tried.add(p + " (" + e.getMessage() + ")");
      }
    }
    throw new ConfigurationException(SETTING, "",
        "no pg_dump of PostgreSQL " + serverMajor + " found on the PATH or in the usual locations"
            + (tried.isEmpty() ? "" : "; found only " + String.join(", ", tried))
            + "; install the PostgreSQL " + serverMajor + " client or set " + SETTING);
  }

  private static PgTools withRestore(Path pgDump, String v) {
    Path restore = pgDump.resolveSibling("pg_restore");
    try {
      String rv = version(restore);
      if (major(rv) != major(v)) {
        throw new ConfigurationException(SETTING, pgDump.toString(),
            "pg_restore next to it is " + rv + ", pg_dump is " + v);
      }
    } catch (IOException e) {
      throw new ConfigurationException(SETTING, pgDump.toString(),
          "no usable pg_restore next to it (" + e.getMessage() + "); it is needed to verify backups");
    }
    return new PgTools(pgDump, restore, v);
  }

  static Set<Path> candidates(int major, String pathVariable) {
    Set<Path> out = new LinkedHashSet<>();
    if (pathVariable != null) {
      for (String dir : pathVariable.split(File.pathSeparator)) {
        if (!dir.isBlank()) {
          out.add(Path.of(dir, "pg_dump"));
        }
      }
    }
    out.add(Path.of("/usr/lib/postgresql/" + major + "/bin/pg_dump"));
    out.add(Path.of("/usr/pgsql-" + major + "/bin/pg_dump"));
    out.add(Path.of("/opt/homebrew/opt/postgresql@" + major + "/bin/pg_dump"));
    out.add(Path.of("/usr/local/opt/postgresql@" + major + "/bin/pg_dump"));
    out.add(Path.of("/usr/local/pgsql/bin/pg_dump"));
    return out;
  }

  /** Runs {@code tool --version}; returns e.g. {@code 15.8}. */
  static String version(Path tool) throws IOException {
    if (!Files.isRegularFile(tool)) {
      throw new IOException(tool + " does not exist");
    }
    Process p = new ProcessBuilder(tool.toString(), "--version").redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readNBytes(4096), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(tool + " --version did not finish in 30 s");
      }
      Matcher m = VERSION.matcher(out);
      if (p.exitValue() != 0 || !m.find()) {
        throw new IOException(tool + " --version printed '" + out + "' (exit " + p.exitValue() + ")");
      }
      return m.group(1) + m.group(2);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted", e);
    }
  }

  static int major(String version) {
    return Integer.parseInt(version.split("\\.")[0]);
  }
}
