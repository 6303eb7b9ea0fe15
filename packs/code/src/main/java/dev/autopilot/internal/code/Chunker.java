package dev.autopilot.internal.code;

import java.util.ArrayList;
import java.util.List;

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

  /**
   * One chunk: lines {@code startLine..endLine} (1-based, inclusive) are {@code content}; {@code
   * context} is the signature of the declaration a piece of a long declaration belongs to (null
   * for a chunk that starts its declaration or holds none).
   */
  record Chunk(String kind, String symbol, int startLine, int endLine, String content, String context) {}

  /**
   * Lines [from, to). {@code context} is the signature of the declarations a piece of a long
   * declaration belongs to; {@code symbol} the name it inherits when it has no declaration of its
   * own, or ({@code fixed}) its name whatever its lines say (a continuation of a long declaration,
   * a SQL statement); {@code alone} keeps it from being packed with its neighbours (a named SQL
   * statement).
   */
  private record Block(int from, int to, String context, String symbol, boolean alone, boolean fixed) {
    Block(int from, int to) {
      this(from, to, null, null, false, false);
    }

    Block lines(int from, int to) {
      return new Block(from, to, context, symbol, alone, fixed);
    }

    int size() {
      return to - from;
    }
  }

  /** Import-only blocks up to this many lines are folded into the next chunk; larger ones are dropped. */
  static final int FOLD_LINES = 6;

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
    int from = Boilerplate.licenseEnd(lines, 0, n);
    if (from == n) {
      return List.of(); // a license and nothing else
    }
    Block all = new Block(from, n);
    if (language.equals("sql")) {
      for (SqlChunker.Statement st : SqlChunker.split(lines, from, n)) {
        Block b = new Block(st.from(), st.to(), null, st.symbol(), st.named(), true);
        if (b.size() <= MAX_LINES) {
          blocks.add(b);
        } else {
          windows(b, SqlChunker.signature(lines, b.from, b.to), st.symbol(), blocks);
        }
      }
    } else if (Languages.braces(language)) {
      int[] depth = braceDepths(lines, n);
      split(lines, depth, all, 0, blocks, true);
    } else if (Languages.indented(language)) {
      int[] indent = new int[n];
      for (int i = 0; i < n; i++) {
        indent[i] = indentOf(lines[i]);
      }
      splitIndented(lines, indent, all, 0, blocks, true);
    } else {
      windows(all, null, null, blocks);
    }
    boolean code = Languages.braces(language) || Languages.indented(language);
    List<Chunk> out = new ArrayList<>();
    for (Block b : merge(lines, code ? foldImports(lines, blocks) : blocks)) {
      String content = join(lines, b);
      if (content.isBlank()) {
        continue;
      }
      if (content.length() > MAX_CHARS) {
        content = content.substring(0, MAX_CHARS);
      }
      String symbol = b.fixed ? b.symbol : Symbols.of(lines, b.from, b.to);
      if (symbol == null) {
        symbol = b.symbol;
      }
      String kind = symbol != null ? "declaration" : (b.size() >= WINDOW && !code ? "window" : "block");
      out.add(new Chunk(kind, symbol, b.from + 1, b.to, content, b.context));
    }
    return out;
  }

  /**
   * Import-only blocks: a small one becomes the start of the block after it, a larger one is
   * dropped (the import graph keeps what it says); a file of nothing else keeps them.
   */
  private static List<Block> foldImports(String[] lines, List<Block> blocks) {
    boolean[] imports = new boolean[blocks.size()];
    boolean other = false;
    for (int i = 0; i < blocks.size(); i++) {
      Block b = blocks.get(i);
      imports[i] = b.context == null && Boilerplate.importsOnly(lines, b.from, b.to);
      other |= !imports[i];
    }
    if (!other) {
      return blocks;
    }
    List<Block> out = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      if (!imports[i]) {
        out.add(blocks.get(i));
        continue;
      }
      int end = i; // the run of import-only blocks is [i, end]
      while (end + 1 < blocks.size() && imports[end + 1]) {
        end++;
      }
      Block first = blocks.get(i);
      Block last = blocks.get(end);
      if (end + 1 < blocks.size() && blocks.get(end + 1).from == last.to
          && Boilerplate.codeLines(lines, first.from, last.to) <= FOLD_LINES) {
        Block next = blocks.get(end + 1);
        out.add(next.lines(first.from, next.to));
        end++;
      }
      i = end;
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
      if (!t.isEmpty() && !Symbols.isCommentOrAnnotation(t)) {
        hasCode = true;
      }
    }
    parts.add(new Block(start, range.to));
    Block inner = top ? range : inner(lines, range);
    for (Block p : parts) {
      Block b = p.from == range.from ? range.lines(p.from, p.to) : inner.lines(p.from, p.to);
      if (b.size() <= MAX_LINES) {
        out.add(b);
      } else if (level < 2 && hasDeeper(depth, b, level)) {
        split(lines, depth, b, level + 1, out, false);
      } else {
        windows(b, lines, out);
      }
    }
  }

  /**
   * What the pieces of a declaration after its first carry: the outer context plus this
   * declaration's signature, and its name (fixed for pieces without a declaration of their own).
   */
  private static Block inner(String[] lines, Block decl) {
    String sig = Symbols.signature(lines, decl.from, decl.to);
    String symbol = decl.fixed ? decl.symbol : Symbols.of(lines, decl.from, decl.to);
    if (sig == null || symbol == null) {
      return decl;
    }
    // the pieces of a function are its body whatever calls they hold; those of a type are members
    boolean body = decl.fixed || !Symbols.container(sig);
    return new Block(decl.from, decl.to, decl.context == null ? sig : decl.context + "\n" + sig,
        symbol, decl.alone, body);
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
      if (Symbols.isCommentOrAnnotation(t)) {
        continue;
      }
      char last = t.charAt(t.length() - 1);
      return last == '}' || last == '{' || last == ';' || last == ')' || last == ']' || depth[p] > level;
    }
    return true;
  }

  /** A line that closes or continues what the line before it started: never a boundary. */
  private static boolean closes(String t) {
    char c = t.charAt(0);
    return c == '}' || c == ')' || c == ']' || c == '.' || c == '+' || c == '&' || c == '|' || c == '?' || c == ':'
        || t.startsWith("else") || t.startsWith("catch") || t.startsWith("finally") || t.startsWith("throws ")
        || t.startsWith("extends ") || t.startsWith("implements ") || t.startsWith("where ") || t.startsWith("->");
  }


  private static void splitIndented(String[] lines, int[] indent, Block range, int depthLevel, List<Block> out,
      boolean top) {
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
    for (Block p : parts) {
      Block b = range.lines(p.from, p.to);
      if (b.size() <= MAX_LINES) {
        out.add(b);
      } else if (depthLevel < 2 && b.size() > 2) {
        Block inner = inner(lines, b);
        // the header line, packed with what follows (same context)
        out.add(inner.lines(b.from, b.from + 1));
        splitIndented(lines, indent, inner.lines(b.from + 1, b.to), depthLevel + 1, out, false);
      } else {
        windows(b, lines, out);
      }
    }
  }

  private static boolean continues(String t) {
    return t.startsWith("end") || t.startsWith("else") || t.startsWith("elif") || t.startsWith("except")
        || t.startsWith("finally") || t.startsWith("rescue") || t.startsWith("catch") || t.startsWith("after")
        || t.startsWith(")") || t.startsWith("]") || t.startsWith("}");
  }

  /** Overlapping line windows; the ones after the first carry the block's signature and name. */
  private static void windows(Block b, String[] lines, List<Block> out) {
    Block next = b.context == null && b.symbol == null && Symbols.of(lines, b.from, b.to) == null ? b : inner(lines, b);
    windows(b, next.context, next.symbol, out);
  }

  private static void windows(Block b, String context, String symbol, List<Block> out) {
    for (int s = b.from; s < b.to; s += WINDOW - OVERLAP) {
      int e = Math.min(b.to, s + WINDOW);
      out.add(s == b.from ? b.lines(s, e) : new Block(s, e, context, symbol, b.alone, symbol != null));
      if (e == b.to) {
        break;
      }
    }
  }

  /**
   * Packs runs of small blocks (imports, fields, one-liners) together: blocks of the same
   * context, neither of which must stay alone.
   */
  private static List<Block> merge(String[] lines, List<Block> blocks) {
    List<Block> out = new ArrayList<>();
    for (Block b : blocks) {
      if (!out.isEmpty()) {
        Block last = out.get(out.size() - 1);
        boolean small = last.size() + b.size() <= MERGE_LINES && !last.alone;
        // a tiny unnamed SQL statement (an index, a grant) joins the named one before it
        boolean trailing = last.alone && b.fixed && b.size() <= 3 && last.size() + b.size() <= MAX_LINES;
        if (last.to == b.from && (small || trailing) && !b.alone && java.util.Objects.equals(last.context, b.context)) {
          out.set(out.size() - 1, new Block(last.from, b.to, last.context, last.symbol != null ? last.symbol : b.symbol,
              last.alone, last.fixed && b.fixed));
          continue;
        }
      }
      out.add(b);
    }
    return out;
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
