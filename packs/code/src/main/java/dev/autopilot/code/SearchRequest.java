package dev.autopilot.code;

import java.util.Objects;

/**
 * A code search with its options; immutable, each option returns a new request.
 *
 * <pre>{@code
 * CodeSearch search = CodeSearch.of(autopilot);
 * search.search(SearchRequest.of("lock and fetch candidates").limit(5));            // files, implementation first
 * search.search(SearchRequest.of("retry").scope(SearchRequest.Scope.NON_IMPLEMENTATION)); // tests, examples, docs
 * search.search(SearchRequest.of("retry").chunks());                                  // raw chunks, several per file
 * }</pre>
 *
 * @param query natural language or code words
 * @param limit how many hits at most (files, or chunks with {@link #chunks()})
 * @param grouping one hit per file (default) or raw chunks
 * @param scope which files: all with implementation first (default), implementation only, or only
 *     tests, examples and docs
 * @param retrieval both halves fused (default), or only one of them
 */
public record SearchRequest(String query, int limit, Grouping grouping, Scope scope, Retrieval retrieval) {

  /** Default number of hits. */
  public static final int DEFAULT_LIMIT = 10;
  /** Largest number of hits one request may ask for. */
  public static final int MAX_LIMIT = 1000;

  /** How hits are grouped. */
  public enum Grouping {
    /** One hit per file, carrying its best chunks. */
    FILES,
    /** One hit per chunk; a file may appear several times. */
    CHUNKS
  }

  /** Which files are searched. */
  public enum Scope {
    /** Every file; tests, examples and docs rank after implementation (their score counts half). */
    ALL,
    /** Implementation files only: tests, examples and docs excluded. */
    IMPLEMENTATION,
    /** Only tests, examples and docs. */
    NON_IMPLEMENTATION
  }

  /** Which retrieval runs. */
  public enum Retrieval {
    /** Nearest vectors and full-text matches, fused by reciprocal rank. */
    HYBRID,
    /** Full-text matches only (the query is not embedded). */
    FULL_TEXT,
    /** Nearest vectors only. */
    VECTOR
  }

  /**
   * Validates.
   *
   * @param query natural language or code words
   * @param limit how many hits at most, 1..{@value #MAX_LIMIT}
   * @param grouping files or chunks
   * @param scope which files
   * @param retrieval which retrieval
   * @throws IllegalArgumentException naming the option that is wrong
   */
  public SearchRequest {
    Objects.requireNonNull(query, "query");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("search limit must be 1.." + MAX_LIMIT + ", was " + limit);
    }
    Objects.requireNonNull(grouping, "grouping");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(retrieval, "retrieval");
  }

  /**
   * @param query natural language or code words
   * @return a request for the {@value #DEFAULT_LIMIT} best files, implementation first, hybrid retrieval
   */
  public static SearchRequest of(String query) {
    return new SearchRequest(query, DEFAULT_LIMIT, Grouping.FILES, Scope.ALL, Retrieval.HYBRID);
  }

  /**
   * @param limit how many hits at most, 1..{@value #MAX_LIMIT}
   * @return this request with another limit
   */
  public SearchRequest limit(int limit) {
    return new SearchRequest(query, limit, grouping, scope, retrieval);
  }

  /** @return this request returning raw chunks (several per file possible) */
  public SearchRequest chunks() {
    return new SearchRequest(query, limit, Grouping.CHUNKS, scope, retrieval);
  }

  /** @return this request returning one hit per file (the default) */
  public SearchRequest files() {
    return new SearchRequest(query, limit, Grouping.FILES, scope, retrieval);
  }

  /**
   * @param scope which files to search
   * @return this request with another scope
   */
  public SearchRequest scope(Scope scope) {
    return new SearchRequest(query, limit, grouping, scope, retrieval);
  }

  /**
   * @param retrieval which retrieval to run
   * @return this request with another retrieval
   */
  public SearchRequest retrieval(Retrieval retrieval) {
    return new SearchRequest(query, limit, grouping, scope, retrieval);
  }
}
