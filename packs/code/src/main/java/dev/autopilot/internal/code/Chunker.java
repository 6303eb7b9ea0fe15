package dev.autopilot.internal.code;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a file into chunks: by declaration for brace languages (bracket depth) and for
 * Python/Elixir/Ruby (indentation), recursing one level into large declarations (class
 * members, module functions); everything else, and any piece still too large, by line windows
 * with overlap. Not a parser: it aims at chunks a reader would recognise, not at exactness.
 */
final class Chunker {
  static final int MAX_LINES = 60;
  static final int WINDOW = 40;
  static final int OVERLAP = 10;
  static final int MERGE_LINES = 12;
  static final int MAX_CHARS = 6000;

  record Chunk(String kind, String symbol, int startLine, int endLine, String content) {}

  private record Block(int from, int to) { // line indexes, to exclusive
    int size() {
      return to - from;
    }
  }

  private static final Pattern DECL = Pattern.compile(
      "\\b(class|interface|enum|record|struct|trait|impl|fn|func|function|def|defp|defmodule|defmacro|object|fun|type|module)\\s+([A-Za-z_$][\\w$.]*)");
  private static final Pattern CALLABLE = Pattern.compile("([A-Za-z_$][\\w$]*)\\s*\\(");
  private static final java.util.Set<String> NOT_NAMES = java.util.Set.of(
      "if", "for", "while", "switch", "catch", "return", "new", "synchronized", "try", "else", "super", "this");

  private Chunker() {}

  static List<Chunk> chunk(String language, String text) {
    String[] lines = text.split("\n", -1);
    int n = lines.length;
    if (n > 0 && lines[n - 1].isEmpty()) {
      n--; // trailing newline
    }
    List<Block> blocks = new ArrayList<>();
    if (n == 0) {
      return List.of();
    }
    if (Languages.braces(language)) {
      int[] depth = braceDepths(lines, n);
      split(lines, depth, new Block(0, n), 0, blocks, true);
    } else if (Languages.indented(language)) {
      int[] indent = new int[n];
      for (int i = 0; i < n; i++) {
        indent[i] = indentOf(lines[i]);
      }
      splitIndented(lines, indent, new Block(0, n), 0, blocks);
    } else {
      windows(new Block(0, n), blocks);
    }
    List<Chunk> out = new ArrayList<>();
    for (Block b : merge(lines, blocks)) {
      String content = join(lines, b);
      if (content.isBlank()) {
        continue;
      }
      if (content.length() > MAX_CHARS) {
        content = content.substring(0, MAX_CHARS);
      }
      String symbol = symbolOf(lines, b);
      String kind = symbol != null ? "declaration" : (b.size() >= WINDOW && !Languages.braces(language)
          && !Languages.indented(language) ? "window" : "block");
      out.add(new Chunk(kind, symbol, b.from + 1, b.to, content));
    }
    return out;
  }

  /** Depth (of all of ( [ {) at the start of each line, skipping strings and comments roughly. */
  static int[] braceDepths(String[] lines, int n) {
    int[] depth = new int[n];
    int d = 0;
    boolean block = false;
    for (int i = 0; i < n; i++) {
      depth[i] = Math.max(0, d);
      String s = lines[i];
      char quote = 0;
      for (int j = 0; j < s.length(); j++) {
        char c = s.charAt(j);
        char next = j + 1 < s.length() ? s.charAt(j + 1) : 0;
        if (block) {
          if (c == '*' && next == '/') {
            block = false;
            j++;
          }
        } else if (quote != 0) {
          if (c == '\\') {
            j++;
          } else if (c == quote) {
            quote = 0;
          }
        } else if (c == '/' && next == '/') {
          break;
        } else if (c == '/' && next == '*') {
          block = true;
          j++;
        } else if (c == '"' || c == '`' || (c == '\'' && next != 0 && j + 2 < s.length() && (s.charAt(j + 2) == '\'' || next == '\\'))) {
          quote = c;
        } else if (c == '{' || c == '(' || c == '[') {
          d++;
        } else if (c == '}' || c == ')' || c == ']') {
          d--;
        }
      }
      if (quote == '"' || quote == '\'') {
        quote = 0; // an unterminated simple string ends with its line
      }
    }
    return depth;
  }

  private static void split(String[] lines, int[] depth, Block range, int level, List<Block> out, boolean top) {
    List<Block> parts = new ArrayList<>();
    int start = range.from;
    boolean hasCode = false;
    for (int i = range.from; i < range.to; i++) {
      String t = lines[i].trim();
      boolean boundary = depth[i] == level && !t.isEmpty() && hasCode && !closes(t)
          && endsStatement(lines, depth, range.from, i, level);
      if (boundary) {
        parts.add(new Block(start, i));
        start = i;
        hasCode = false;
      }
      if (!t.isEmpty() && !isCommentOrAnnotation(t)) {
        hasCode = true;
      }
    }
    parts.add(new Block(start, range.to));
    for (Block b : parts) {
      if (b.size() <= MAX_LINES) {
        out.add(b);
      } else if (level < 2 && hasDeeper(depth, b, level)) {
        split(lines, depth, b, level + 1, out, false);
      } else {
        windows(b, out);
      }
    }
  }

  private static boolean hasDeeper(int[] depth, Block b, int level) {
    for (int i = b.from; i < b.to; i++) {
      if (depth[i] == level + 1) {
        return true;
      }
    }
    return false;
  }

  private static boolean endsStatement(String[] lines, int[] depth, int from, int i, int level) {
    for (int p = i - 1; p >= from; p--) {
      String t = lines[p].trim();
      if (t.isEmpty()) {
        return true;
      }
      if (isCommentOrAnnotation(t)) {
        continue;
      }
      char last = t.charAt(t.length() - 1);
      return last == '}' || last == '{' || last == ';' || last == ')' || last == ']' || depth[p] > level;
    }
    return true;
  }

  private static boolean closes(String t) {
    char c = t.charAt(0);
    return c == '}' || c == ')' || c == ']' || t.startsWith("else") || t.startsWith("catch") || t.startsWith("finally");
  }

  private static boolean isCommentOrAnnotation(String t) {
    return t.startsWith("//") || t.startsWith("/*") || t.startsWith("*") || t.startsWith("@") || t.startsWith("#");
  }

  private static void splitIndented(String[] lines, int[] indent, Block range, int depthLevel, List<Block> out) {
    int base = Integer.MAX_VALUE;
    for (int i = range.from; i < range.to; i++) {
      if (!lines[i].isBlank()) {
        base = Math.min(base, indent[i]);
      }
    }
    List<Block> parts = new ArrayList<>();
    int start = range.from;
    boolean hasCode = false;
    for (int i = range.from; i < range.to; i++) {
      String t = lines[i].trim();
      boolean boundary = !t.isEmpty() && indent[i] == base && hasCode && !continues(t);
      if (boundary) {
        parts.add(new Block(start, i));
        start = i;
        hasCode = false;
      }
      if (!t.isEmpty() && !t.startsWith("#") && !t.startsWith("@")) {
        hasCode = true;
      }
    }
    parts.add(new Block(start, range.to));
    for (Block b : parts) {
      if (b.size() <= MAX_LINES) {
        out.add(b);
      } else if (depthLevel < 2 && b.size() > 2) {
        out.add(new Block(b.from, b.from + 1)); // the header line, merged with what follows
        splitIndented(lines, indent, new Block(b.from + 1, b.to), depthLevel + 1, out);
      } else {
        windows(b, out);
      }
    }
  }

  private static boolean continues(String t) {
    return t.startsWith("end") || t.startsWith("else") || t.startsWith("elif") || t.startsWith("except")
        || t.startsWith("finally") || t.startsWith("rescue") || t.startsWith("catch") || t.startsWith("after")
        || t.startsWith(")") || t.startsWith("]") || t.startsWith("}");
  }

  private static void windows(Block b, List<Block> out) {
    for (int s = b.from; s < b.to; s += WINDOW - OVERLAP) {
      int e = Math.min(b.to, s + WINDOW);
      out.add(new Block(s, e));
      if (e == b.to) {
        break;
      }
    }
  }

  /** Packs runs of small blocks (imports, fields, one-liners) together. */
  private static List<Block> merge(String[] lines, List<Block> blocks) {
    List<Block> out = new ArrayList<>();
    for (Block b : blocks) {
      if (!out.isEmpty()) {
        Block last = out.get(out.size() - 1);
        if (last.to == b.from && last.size() + b.size() <= MERGE_LINES) {
          out.set(out.size() - 1, new Block(last.from, b.to));
          continue;
        }
      }
      out.add(b);
    }
    return out;
  }

  static String symbolOf(String[] lines, Block b) {
    for (int i = b.from; i < Math.min(b.to, b.from + 12); i++) {
      String t = lines[i].trim();
      if (t.isEmpty() || isCommentOrAnnotation(t) || t.startsWith("import ") || t.startsWith("package ")) {
        continue;
      }
      Matcher m = DECL.matcher(t);
      if (m.find()) {
        return m.group(2);
      }
      m = CALLABLE.matcher(t);
      while (m.find()) {
        if (!NOT_NAMES.contains(m.group(1)) && (t.endsWith("{") || t.contains(") {") || t.endsWith(")")
            || t.contains("=>") || t.contains(") throws"))) {
          return m.group(1);
        }
      }
    }
    return null;
  }

  private static int indentOf(String s) {
    int i = 0;
    while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  private static String join(String[] lines, Block b) {
    StringBuilder sb = new StringBuilder();
    for (int i = b.from; i < b.to; i++) {
      sb.append(lines[i]).append('\n');
    }
    return sb.toString();
  }
}
