package dev.autopilot.internal.code;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What import resolution needs from one file, extracted while the file's text is at hand so a
 * run keeps only these facts in memory, not every file's content.
 *
 * @param path path relative to the codebase root, with '/'
 * @param pkg Java/Kotlin package, Go module (for go.mod), else null
 * @param declared type names (Java/Kotlin) or module names (Elixir) the file declares
 * @param typeRefs capitalised identifiers used (Java/Kotlin; same-package references need no import)
 */
record FileFacts(String path, String language, List<Imports.Import> imports, String pkg, Set<String> declared,
    Set<String> typeRefs) {

  private static final Pattern PACKAGE = Pattern.compile("(?m)^\\s*package\\s+([\\w.]+)");
  private static final Pattern TYPE_DECL = Pattern.compile(
      "(?m)^\\s*(?:[\\w@]+\\s+)*(?:class|interface|enum|record|object)\\s+([A-Z]\\w*)");
  private static final Pattern DEFMODULE = Pattern.compile("(?m)^\\s*defmodule\\s+([A-Z][\\w.]*)");
  private static final Pattern GO_MODULE = Pattern.compile("(?m)^\\s*module\\s+(\\S+)");
  private static final Pattern CAPITAL = Pattern.compile("\\b[A-Z][A-Za-z0-9_]*\\b");

  static FileFacts of(String path, String language, String text) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    if (name.equals("go.mod")) {
      Matcher m = GO_MODULE.matcher(text);
      return new FileFacts(path, "go.mod", List.of(), m.find() ? m.group(1) : null, Set.of(), Set.of());
    }
    if (!Languages.isCode(language)) {
      return new FileFacts(path, language, List.of(), null, Set.of(), Set.of());
    }
    List<Imports.Import> imports = Imports.of(language, text);
    String pkg = null;
    Set<String> declared = new HashSet<>();
    Set<String> refs = Set.of();
    if (language.equals("java") || language.equals("kotlin")) {
      Matcher m = PACKAGE.matcher(text);
      pkg = m.find() ? m.group(1) : "";
      m = TYPE_DECL.matcher(text);
      while (m.find()) {
        declared.add(m.group(1));
      }
      refs = new HashSet<>();
      m = CAPITAL.matcher(text);
      while (m.find()) {
        refs.add(m.group());
      }
    } else if (language.equals("elixir")) {
      Matcher m = DEFMODULE.matcher(text);
      while (m.find()) {
        declared.add(m.group(1));
      }
    }
    return new FileFacts(path, language, imports, pkg, declared, refs);
  }

  String dir() {
    int i = path.lastIndexOf('/');
    return i < 0 ? "" : path.substring(0, i);
  }

  String stem() {
    String name = path.substring(path.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    return dot < 0 ? name : name.substring(0, dot);
  }
}
