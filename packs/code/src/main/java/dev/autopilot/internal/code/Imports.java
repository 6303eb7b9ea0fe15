package dev.autopilot.internal.code;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Extracts import statements by language with line-oriented patterns (no parser). */
final class Imports {
  private Imports() {}

  /**
   * One import as written.
   *
   * @param target the imported name or path ({@code a.b.C}, {@code ./util}, {@code crate::x})
   * @param kind {@code import}, {@code static}, {@code wildcard}, {@code from} (Python: module,
   *     then names), {@code mod} (Rust module file), {@code use}
   * @param names for Python's {@code from m import a, b}: a and b
   */
  record Import(String target, String kind, List<String> names) {}

  private static final Pattern JAVA = Pattern.compile("(?m)^\\s*import\\s+(static\\s+)?([\\w.]+?)(\\.\\*)?\\s*;");
  private static final Pattern KOTLIN = Pattern.compile("(?m)^\\s*import\\s+([\\w.`]+?)(\\.\\*)?(\\s+as\\s+\\w+)?\\s*$");
  private static final Pattern PY_IMPORT = Pattern.compile("(?m)^\\s*import\\s+([\\w.]+(?:\\s+as\\s+\\w+)?(?:\\s*,\\s*[\\w.]+(?:\\s+as\\s+\\w+)?)*)");
  private static final Pattern PY_FROM = Pattern.compile("(?m)^\\s*from\\s+(\\.*[\\w.]*)\\s+import\\s+(?:\\(([^)]*)\\)|([\\w \\t,*]+))");
  private static final Pattern JS = Pattern.compile(
      "(?:\\bfrom\\s*|\\bimport\\s*\\(?\\s*|\\brequire\\s*\\(\\s*)['\"]([^'\"\\n]+)['\"]");
  private static final Pattern GO_SINGLE = Pattern.compile("(?m)^\\s*import\\s+(?:[\\w.]+\\s+)?\"([^\"]+)\"");
  private static final Pattern GO_BLOCK = Pattern.compile("(?ms)^\\s*import\\s*\\((.*?)\\)");
  private static final Pattern GO_LINE = Pattern.compile("(?m)^\\s*(?:[\\w.]+\\s+)?\"([^\"]+)\"");
  private static final Pattern RUST_MOD = Pattern.compile("(?m)^\\s*(?:pub(?:\\([\\w:]+\\))?\\s+)?mod\\s+(\\w+)\\s*;");
  private static final Pattern RUST_USE = Pattern.compile("(?m)^\\s*(?:pub(?:\\([\\w:]+\\))?\\s+)?use\\s+([\\w:]+)");
  private static final Pattern RUST_EXTERN = Pattern.compile("(?m)^\\s*extern\\s+crate\\s+(\\w+)");
  private static final Pattern EX = Pattern.compile("(?m)^\\s*(?:alias|import|use|require)\\s+([A-Z]\\w*(?:\\.[A-Z]\\w*)*)(?:\\.\\{([\\w\\s,.]+)\\})?");

  static List<Import> of(String language, String text) {
    List<Import> out = new ArrayList<>();
    switch (language) {
      case "java" -> {
        Matcher m = JAVA.matcher(text);
        while (m.find()) {
          out.add(new Import(m.group(2), m.group(3) != null ? "wildcard" : m.group(1) != null ? "static" : "import", List.of()));
        }
      }
      case "kotlin" -> {
        Matcher m = KOTLIN.matcher(text);
        while (m.find()) {
          out.add(new Import(m.group(1).replace("`", ""), m.group(2) != null ? "wildcard" : "import", List.of()));
        }
      }
      case "python" -> python(text, out);
      case "javascript", "typescript" -> {
        Matcher m = JS.matcher(text);
        while (m.find()) {
          out.add(new Import(m.group(1), "import", List.of()));
        }
      }
      case "go" -> {
        Matcher m = GO_SINGLE.matcher(text);
        while (m.find()) {
          out.add(new Import(m.group(1), "import", List.of()));
        }
        Matcher b = GO_BLOCK.matcher(text);
        while (b.find()) {
          Matcher l = GO_LINE.matcher(b.group(1));
          while (l.find()) {
            out.add(new Import(l.group(1), "import", List.of()));
          }
        }
      }
      case "rust" -> {
        Matcher m = RUST_MOD.matcher(text);
        while (m.find()) {
          out.add(new Import(m.group(1), "mod", List.of()));
        }
        m = RUST_USE.matcher(text);
        while (m.find()) {
          out.add(new Import(m.group(1).replaceAll(":+$", ""), "use", List.of()));
        }
        m = RUST_EXTERN.matcher(text);
        while (m.find()) {
          out.add(new Import(m.group(1), "use", List.of()));
        }
      }
      case "elixir" -> {
        Matcher m = EX.matcher(text);
        while (m.find()) {
          if (m.group(2) == null) {
            out.add(new Import(m.group(1), "import", List.of()));
          } else {
            for (String s : m.group(2).split(",")) {
              if (!s.isBlank()) {
                out.add(new Import(m.group(1) + "." + s.trim(), "import", List.of()));
              }
            }
          }
        }
      }
      default -> {
      }
    }
    return out;
  }

  private static void python(String text, List<Import> out) {
    Matcher m = PY_IMPORT.matcher(text);
    while (m.find()) {
      for (String part : m.group(1).split(",")) {
        out.add(new Import(part.trim().split("\\s+")[0], "import", List.of()));
      }
    }
    m = PY_FROM.matcher(text);
    while (m.find()) {
      List<String> names = new ArrayList<>();
      String list = m.group(2) != null ? m.group(2) : m.group(3);
      for (String n : list.split(",")) {
        String name = n.trim().split("\\s+")[0];
        if (!name.isEmpty()) {
          names.add(name);
        }
      }
      out.add(new Import(m.group(1), "from", names));
    }
  }
}
