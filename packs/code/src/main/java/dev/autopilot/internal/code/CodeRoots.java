package dev.autopilot.internal.code;

import dev.autopilot.ConfigurationException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The codebases to ingest, from {@code autopilot.code.roots}: comma-separated {@code name=path}
 * pairs ({@code app=/srv/app,lib=../lib}); a bare path is named after its last directory. The
 * name keys every row (code_files.codebase, graph_nodes.codebase, ...), so renaming a path
 * while keeping its name keeps the history.
 */
final class CodeRoots {
  static final String KEY = "autopilot.code.roots";

  private CodeRoots() {}

  static Map<String, Path> parse(String value) {
    Map<String, Path> out = new LinkedHashMap<>();
    if (value == null || value.isBlank()) {
      return out;
    }
    for (String part : value.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      String name;
      String path;
      if (eq > 0) {
        name = p.substring(0, eq).trim();
        path = p.substring(eq + 1).trim();
      } else {
        path = p;
        Path fn = Path.of(p).toAbsolutePath().normalize().getFileName();
        name = fn == null ? "root" : fn.toString();
      }
      if (name.isEmpty() || path.isEmpty() || !name.matches("[\\w.@-]{1,100}")) {
        throw new ConfigurationException(KEY, value, "each entry is name=path with a name of letters, digits, . _ - @ ('" + p + "')");
      }
      if (out.put(name, Path.of(path)) != null) {
        throw new ConfigurationException(KEY, value, "codebase name '" + name + "' appears twice");
      }
    }
    return out;
  }
}
