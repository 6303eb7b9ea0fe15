package dev.autopilot.code;

import dev.autopilot.Autopilot;
import dev.autopilot.AutopilotException;
import java.util.List;
import java.util.Objects;

/**
 * Retrieval over the code the code pack ingested. The query is embedded with the current {@link
 * EmbeddingModel} and compared with the chunks' vectors (pgvector's HNSW index where rag-setup
 * created it, else an exact scan of the {@code real[]} vectors in process); PostgreSQL full-text
 * search matches its words (english configuration: stemmed, stop words dropped; identifiers split
 * into words; symbol, file name and directories weighted); the two rankings are fused by
 * reciprocal rank, see {@link SearchHit#score()}. Results are one hit per file with its best
 * chunks, implementation before tests, examples and docs; {@link SearchRequest} asks for raw
 * chunks, another scope or one half alone. Chunks without a vector yet can still be found by their
 * words.
 *
 * <pre>{@code
 * List<SearchHit> hits = CodeSearch.of(autopilot).search("parse the cron expression", 5);
 * List<SearchHit> tests = CodeSearch.of(autopilot).search(SearchRequest.of("cron")
 *     .scope(SearchRequest.Scope.NON_IMPLEMENTATION));
 * }</pre>
 *
 * <p>Thread-safe; the embedding model is loaded on the first search.
 */
public final class CodeSearch {

  private final dev.autopilot.internal.code.CodeSearch delegate;

  /**
   * Made by the code pack; get it with {@link #of(Autopilot)}.
   *
   * @param delegate the pack's search
   */
  public CodeSearch(dev.autopilot.internal.code.CodeSearch delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /**
   * @param autopilot a built (started or attached) Autopilot
   * @return its code search
   * @throws AutopilotException when the code pack ({@code autopilot-pack-code}) is not on the
   *     class path
   */
  public static CodeSearch of(Autopilot autopilot) {
    return autopilot.service(CodeSearch.class).orElseThrow(() -> new AutopilotException(
        "code search needs the code pack: add the dependency dev.autopilot:autopilot-pack-code"));
  }

  /**
   * Finds the ingested files most relevant to a query: {@code search(SearchRequest.of(query).limit(k))}.
   *
   * @param query natural language or code words, for example {@code "parse the cron expression"}
   * @param k how many files at most
   * @return the best hits, one per file, best first; empty for a blank query or k &lt;= 0
   * @throws AutopilotException when the database or the model fails
   */
  public List<SearchHit> search(String query, int k) {
    return delegate.search(query, k);
  }

  /**
   * Runs a search with options: raw chunks instead of one hit per file, only implementation or
   * only tests, examples and docs, one retrieval half alone.
   *
   * @param request the query and its options
   * @return the best hits, best first; empty for a blank query
   * @throws AutopilotException when the database or the model fails
   */
  public List<SearchHit> search(SearchRequest request) {
    return delegate.search(Objects.requireNonNull(request, "request"));
  }

  /**
   * How many ingested chunks have a vector yet. At the first start the bootstrap does not wait
   * for all embeddings ({@code autopilot.code.embed.wait}, 20 s by default): the rest is embedded
   * in the background while {@link #search} answers from what is there, finding chunks without a
   * vector by their words only.
   *
   * @return embedded and live chunks, and whether this instance still embeds in the background
   * @throws AutopilotException when the database fails
   */
  public EmbeddingProgress embeddingProgress() {
    return delegate.embeddingProgress();
  }
}
