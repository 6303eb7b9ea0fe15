package dev.autopilot.internal.code;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a chunk is named by: the declaration its first code lines make (class, function, Go
 * method as {@code Type.Method}, Rust impl by its type, a callable whose signature opens a body),
 * and the signature line(s) that pieces of a long declaration carry as context.
 */
final class Symbols {
  private Symbols() {}

  private static final Pattern DECL = Pattern.compile(
      "\\b(class|interface|enum|record|struct|trait|impl|fn|func|function|def|defp|defmodule|defmacro|object|fun|type|module)"
          + "(?:\\s*<[^>]*>)?\\s+([A-Za-z_$][\\w$.]*)");
  /** A Go method: {@code func (r *T) Name(} or {@code func (T[K]) Name[...](}. */
  private static final Pattern GO_METHOD = Pattern.compile(
      "^func\\s*\\(\\s*(?:\\w+\\s+)?\\*?\\s*([\\w.]+)(?:\\[[^\\]]*\\])?\\s*\\)\\s*(\\w+)");
  /** A Rust trait implementation: {@code impl<T> Trait for Type} names the type. */
  private static final Pattern RUST_IMPL = Pattern.compile(
      "^(?:unsafe\\s+)?impl(?:\\s*<[^>]*>)?\\s+[\\w:]+(?:<[^>]*>)?\\s+for\\s+([\\w:]+)");
  private static final Pattern CALLABLE = Pattern.compile("([A-Za-z_$][\\w$]*)\\s*\\(");
  private static final java.util.Set<String> NOT_NAMES = java.util.Set.of(
      "if", "for", "while", "switch", "catch", "return", "new", "synchronized", "try", "else", "super", "this", "func",
      "fn", "fun", "function", "when", "match", "foreach", "elif", "with", "assert", "throw", "await", "typeof");
  private static final java.util.Set<String> CONTAINERS = java.util.Set.of(
      "class", "interface", "enum", "record", "struct", "trait", "impl", "object", "module", "defmodule", "type");
  /** @return the declaration lines[from, to) starts with (within its first 20 non-blank lines), or null */
  static String of(String[] lines, int from, int to) {
    int seen = 0;
    for (int i = from; i < to && seen < 20; i++) {
      String t = lines[i].trim();
      if (t.isEmpty()) {
        continue;
      }
      seen++;
      if (isCommentOrAnnotation(t) || t.startsWith("import ") || t.startsWith("package ") || t.startsWith("use ")
          || t.startsWith("from ") || t.equals("import (") || t.startsWith("\"") || t.equals(")")) {
        continue;
      }
      Matcher m = GO_METHOD.matcher(t);
      if (m.find()) {
        return m.group(1) + "." + m.group(2);
      }
      m = RUST_IMPL.matcher(t);
      if (m.find()) {
        return m.group(1);
      }
      m = DECL.matcher(t);
      if (m.find()) {
        return m.group(2);
      }
      String sig = signature(lines, i, to); // a parameter list may go on over lines
      m = CALLABLE.matcher(t);
      while (m.find()) {
        if (!NOT_NAMES.contains(m.group(1)) && (sig.endsWith("{") || sig.contains(") {") || sig.endsWith(")")
            || sig.contains("=>") || sig.contains(") throws"))) {
          return m.group(1);
        }
      }
    }
    return null;
  }

  /** The first code line of a block, with the lines that close its parentheses (at most 4), trimmed. */
  static String signature(String[] lines, int from, int to) {
    StringBuilder sb = new StringBuilder();
    int open = 0;
    for (int i = from; i < to; i++) {
      String t = lines[i].trim();
      if (sb.length() == 0 && (t.isEmpty() || isCommentOrAnnotation(t))) {
        continue;
      }
      sb.append(sb.length() == 0 ? "" : " ").append(t);
      for (char c : t.toCharArray()) {
        open += c == '(' ? 1 : c == ')' ? -1 : 0;
      }
      if (open <= 0 || sb.length() > 200 || i - from >= 4) {
        break;
      }
    }
    return sb.length() == 0 ? null : sb.length() > 200 ? sb.substring(0, 200) : sb.toString();
  }

  /** @return whether a signature declares a type (whose pieces are members) rather than a function */
  static boolean container(String signature) {
    Matcher m = DECL.matcher(signature);
    return RUST_IMPL.matcher(signature).find() || m.find() && CONTAINERS.contains(m.group(1));
  }

  static boolean isCommentOrAnnotation(String t) {
    return t.startsWith("//") || t.startsWith("/*") || t.startsWith("*") || t.startsWith("@") || t.startsWith("#");
  }
}
