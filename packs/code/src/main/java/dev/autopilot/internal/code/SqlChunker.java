package dev.autopilot.internal.code;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SQL split by statement (a {@code ;} outside strings, dollar quotes and comments ends one) and
 * by {@code -- name:} markers (sqlc, yesql, HugSQL), the comments above a statement belonging to
 * it. Named statements (a {@code -- name:} query, CREATE TABLE / VIEW / FUNCTION / PROCEDURE /
 * TRIGGER / TYPE) stay chunks of their own; small unnamed ones (indexes, inserts, grants) may be
 * packed together by the chunker.
 */
final class SqlChunker {
  private SqlChunker() {}

  /** One statement: lines [from, to), its symbol (or null) and whether it stays alone. */
  record Statement(int from, int to, String symbol, boolean named) {}

  private static final Pattern NAME_MARKER = Pattern.compile("^\\s*--\\s*name:\\s*([\\w.$-]+)");
  private static final Pattern CREATE = Pattern.compile("(?i)^\\s*create\\s+(?:or\\s+replace\\s+)?"
      + "(?:(?:temp|temporary|unlogged|unique|materialized|recursive|constraint)\\s+)*"
      + "(table|view|function|procedure|trigger|type|sequence|index|schema|aggregate|domain|extension|policy|rule)"
      + "\\s+(?:concurrently\\s+)?(?:if\\s+not\\s+exists\\s+)?([\\w.\"%$]+)");
  private static final Pattern DOLLAR = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)?\\$");

  static List<Statement> split(String[] lines, int from, int n) {
    List<Statement> out = new ArrayList<>();
    int start = from;
    boolean hasCode = false;
    String dollar = null; // the open dollar-quote tag
    boolean quote = false;
    boolean block = false;
    for (int i = from; i < n; i++) {
      String line = lines[i];
      if (dollar == null && !quote && !block && NAME_MARKER.matcher(line).find() && hasCode) {
        out.add(statement(lines, start, i));
        start = i;
        hasCode = false;
      }
      boolean ends = false;
      for (int j = 0; j < line.length(); j++) {
        char c = line.charAt(j);
        if (block) {
          if (line.startsWith("*/", j)) {
            block = false;
            j++;
          }
        } else if (quote) {
          if (c == '\'') {
            quote = false;
          }
        } else if (dollar != null) {
          if (line.startsWith(dollar, j)) {
            j += dollar.length() - 1;
            dollar = null;
          }
        } else if (line.startsWith("--", j)) {
          break;
        } else if (line.startsWith("/*", j)) {
          block = true;
          j++;
        } else if (c == '\'') {
          quote = true;
          hasCode = true;
          ends = false;
        } else if (c == '$') {
          ends = false;
          Matcher m = DOLLAR.matcher(line).region(j, line.length());
          if (m.lookingAt()) {
            dollar = m.group();
            j += dollar.length() - 1;
          }
          hasCode = true;
        } else if (c == ';') {
          ends = true;
        } else if (!Character.isWhitespace(c)) {
          hasCode = true;
          ends = false;
        }
      }
      if (ends && dollar == null && !quote && !block && hasCode) {
        out.add(statement(lines, start, i + 1));
        start = i + 1;
        hasCode = false;
      }
    }
    if (start < n) {
      if (!hasCode && !out.isEmpty()) { // trailing comments and blank lines go with the last statement
        Statement last = out.remove(out.size() - 1);
        out.add(new Statement(last.from(), n, last.symbol(), last.named()));
      } else {
        out.add(statement(lines, start, n));
      }
    }
    return out;
  }

  private static Statement statement(String[] lines, int from, int to) {
    for (int i = from; i < to; i++) {
      Matcher m = NAME_MARKER.matcher(lines[i]);
      if (m.find()) {
        return new Statement(from, to, m.group(1), true);
      }
      m = CREATE.matcher(lines[i]);
      if (m.find()) {
        String name = m.group(2).replace("\"", "");
        name = name.substring(name.lastIndexOf('.') + 1);
        boolean named = !m.group(1).equalsIgnoreCase("index") && !m.group(1).equalsIgnoreCase("extension")
            && !m.group(1).equalsIgnoreCase("schema");
        return new Statement(from, to, name, named);
      }
    }
    return new Statement(from, to, null, false);
  }

  /** @return the first code line of a statement (its signature), trimmed */
  static String signature(String[] lines, int from, int to) {
    for (int i = from; i < to; i++) {
      String t = lines[i].trim();
      if (!t.isEmpty() && !t.startsWith("--")) {
        return t;
      }
    }
    return null;
  }
}
