package dev.autopilot.internal.code;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Lines that carry no meaning for retrieval: a license header, and blocks of only package,
 * import, use and include lines. The chunker drops the first and drops or folds the second.
 */
final class Boilerplate {
  private Boilerplate() {}

  private static final Pattern LICENSE = Pattern.compile(
      "copyright|licen[cs]ed?\\b|spdx-license|all rights reserved|permission is hereby granted|"
          + "without warranties|gnu (general|lesser)|apache license|mit license|bsd license");
  private static final Pattern IMPORT = Pattern.compile(
      "^(package|import)\\s+[\\w.*{\"'].*|^import\\s*\\($|^\\)$|^(\\w+\\s+|\\.\\s+|_\\s+)?\"[^\"]*\"$"
          + "|^(pub(\\(\\w+\\))?\\s+)?(use\\s+[\\w:{}, *]+|mod\\s+\\w+|extern\\s+crate\\s+\\w+)\\s*;$"
          + "|^using\\s+[\\w.= ]+;$|^from\\s+[\\w.]+\\s+import\\s.*|^#(include|import)\\s*[<\"].*"
          + "|^(alias|import|require|use)\\s+[A-Z][\\w.{}, ]*$|^require\\s*\\(?['\"].*"
          + "|^(const|let|var)\\s+[\\w{}, ]+\\s*=\\s*require\\(.*\\);?$");

  /**
   * @return the index of the first line after a leading license comment (blank lines around it
   *     included), or {@code from} when the file does not start with one
   */
  static int licenseEnd(String[] lines, int from, int n) {
    int i = from;
    while (i < n && lines[i].isBlank()) {
      i++;
    }
    int start = i;
    boolean block = false;
    StringBuilder text = new StringBuilder();
    for (; i < n; i++) {
      String t = lines[i].trim();
      if (block) {
        text.append(t).append('\n');
        if (t.contains("*/")) {
          block = false;
        }
        continue;
      }
      if (t.startsWith("/*")) {
        text.append(t).append('\n');
        block = !t.substring(2).contains("*/");
      } else if (t.startsWith("//") || t.startsWith("#") && !t.startsWith("#!") && !t.startsWith("#include")
          || t.startsWith("--") || t.startsWith("%") || t.startsWith(";")) {
        text.append(t).append('\n');
      } else if (t.startsWith("#!") && i == start) {
        return from; // a shebang line: keep the file as it is
      } else {
        break;
      }
    }
    if (i == start || !LICENSE.matcher(text.toString().toLowerCase(Locale.ROOT)).find()) {
      return from;
    }
    while (i < n && lines[i].isBlank()) {
      i++;
    }
    return i;
  }

  /** @return whether every code line of lines[from, to) is a package, import, use or include line */
  static boolean importsOnly(String[] lines, int from, int to) {
    boolean any = false;
    boolean inGroup = false; // a parenthesised import list (Go, Python)
    for (int i = from; i < to; i++) {
      String t = lines[i].trim();
      if (t.isEmpty() || t.startsWith("//") || t.startsWith("/*") || t.startsWith("*") || t.startsWith("#")
          && !t.startsWith("#include") && !t.startsWith("#import")) {
        continue;
      }
      if (inGroup) {
        inGroup = !t.startsWith(")");
        any = true;
        continue;
      }
      if (!IMPORT.matcher(t).matches()) {
        return false;
      }
      inGroup = t.endsWith("(");
      any = true;
    }
    return any;
  }

  /** @return how many lines of lines[from, to) are not blank */
  static int codeLines(String[] lines, int from, int to) {
    int c = 0;
    for (int i = from; i < to; i++) {
      if (!lines[i].isBlank()) {
        c++;
      }
    }
    return c;
  }
}
