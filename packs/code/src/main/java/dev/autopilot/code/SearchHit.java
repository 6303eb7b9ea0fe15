package dev.autopilot.code;

import java.util.List;

/**
 * One result of a code search: a file with its best chunk (grouped search, the default) or one
 * chunk ({@link SearchRequest#chunks()}).
 *
 * @param codebase the codebase name (from {@code autopilot.code.roots})
 * @param path the file's path relative to its codebase root, with '/'
 * @param startLine first line of the (best) chunk, 1-based
 * @param endLine last line of the (best) chunk, inclusive
 * @param symbol the declaration the chunk holds (class, function, {@code Type.method}, SQL object,
 *     ...), or null for other chunks
 * @param content the chunk's text (lines {@code startLine..endLine})
 * @param score relevance, higher is better: the reciprocal-rank fusion of the file's (or chunk's)
 *     rank among the nearest vectors and among the full-text matches, {@code 1/(60 + rank)} per
 *     list; tests, examples and docs count half unless the request asks for them only
 * @param chunkId the (best) chunk's id in {@code code_chunks}
 * @param role what the file is for, classified by its path at ingest
 * @param matches the file's best chunks, best first (the first is the one above); one element for
 *     a chunk result
 */
public record SearchHit(String codebase, String path, int startLine, int endLine, String symbol, String content,
    double score, long chunkId, Role role, List<Match> matches) {

  /** What a file is for, by its path ({@code src/test}, {@code *_test.go}, {@code examples/}, {@code *.md}, ...). */
  public enum Role {
    /** Implementation: everything that is not one of the others. */
    IMPLEMENTATION,
    /** A test: under a test directory, or named like one ({@code FooTest.java}, {@code test_foo.py}). */
    TEST,
    /** An example, sample or demo. */
    EXAMPLE,
    /** Documentation: markdown and other prose files, anything under {@code docs/}. */
    DOC
  }

  /**
   * One chunk of a hit's file.
   *
   * @param startLine first line, 1-based
   * @param endLine last line, inclusive
   * @param symbol the declaration the chunk holds, or null
   * @param score the chunk's own fused score
   * @param chunkId the chunk's id in {@code code_chunks}
   */
  public record Match(int startLine, int endLine, String symbol, double score, long chunkId) {}

  /**
   * Normalises: a null role is implementation, matches are an immutable copy.
   *
   * @param codebase the codebase name
   * @param path the file's path relative to its codebase root
   * @param startLine first line of the (best) chunk
   * @param endLine last line of the (best) chunk
   * @param symbol the declaration the chunk holds, or null
   * @param content the chunk's text
   * @param score relevance, higher is better
   * @param chunkId the (best) chunk's id
   * @param role what the file is for; null means implementation
   * @param matches the file's best chunks, best first; null means none
   */
  public SearchHit {
    role = role == null ? Role.IMPLEMENTATION : role;
    matches = matches == null ? List.of() : List.copyOf(matches);
  }

  /**
   * A chunk hit of an implementation file with no other matches: the shape of search results
   * before results were grouped by file (kept for source compatibility).
   *
   * @param codebase the codebase name
   * @param path the file's path relative to its codebase root
   * @param startLine first line of the chunk
   * @param endLine last line of the chunk
   * @param symbol the declaration the chunk holds, or null
   * @param content the chunk's text
   * @param score relevance, higher is better
   * @param chunkId the chunk's id
   */
  public SearchHit(String codebase, String path, int startLine, int endLine, String symbol, String content,
      double score, long chunkId) {
    this(codebase, path, startLine, endLine, symbol, content, score, chunkId, Role.IMPLEMENTATION,
        List.of(new Match(startLine, endLine, symbol, score, chunkId)));
  }
}
