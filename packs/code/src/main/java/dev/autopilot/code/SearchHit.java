package dev.autopilot.code;

/**
 * One chunk of ingested code returned by {@link CodeSearch#search(String, int)}.
 *
 * @param codebase the codebase name (from {@code autopilot.code.roots})
 * @param path the file's path relative to its codebase root, with '/'
 * @param startLine first line of the chunk, 1-based
 * @param endLine last line of the chunk, inclusive
 * @param symbol the declaration the chunk holds (class, function, ...), or null for other chunks
 * @param content the chunk's text
 * @param score relevance, higher is better: cosine similarity of query and chunk embeddings
 *     (-1..1) plus 0.3 times PostgreSQL's full-text rank of the query words (0..1)
 * @param chunkId the chunk's id in {@code code_chunks}
 */
public record SearchHit(String codebase, String path, int startLine, int endLine, String symbol, String content,
    double score, long chunkId) {}
