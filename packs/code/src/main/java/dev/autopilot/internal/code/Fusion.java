package dev.autopilot.internal.code;

import dev.autopilot.code.SearchHit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reciprocal-rank fusion of the two candidate lists: each list adds {@code weight / (K + rank)}
 * (rank from 1) for an item it holds, so an item either half ranks high counts, whatever the
 * scale of that half's own scores. For file results a file's rank in a list is the rank of its
 * first chunk there among distinct files. Tests, examples and docs count {@value #NON_IMPL_FACTOR}
 * of their score when all files are searched.
 */
final class Fusion {
  static final int K = 60;
  static final double NON_IMPL_FACTOR = 0.5;

  /** The fusion's constants (the evaluation harness tries others). */
  record Params(int k, double vectorWeight, double textWeight, double nonImplFactor) {}

  /**
   * Equal weights: in the evaluation a text weight of 0.7 scored 0.01-0.02 MRR@10 higher on both
   * corpora, but a full-text rank-1 match would then count less than a vector rank 10
   * (0.7/61 &lt; 1/70) and drop out of a top 10, which is what the fusion is for.
   */
  static final Params DEFAULT = new Params(K, 1.0, 1.0, NON_IMPL_FACTOR);
  /** Chunks carried by one file hit. */
  static final int MATCHES = 3;

  /** A candidate chunk with what a hit shows of it. */
  record Chunk(long id, long fileId, String codebase, String path, SearchHit.Role role, int startLine, int endLine,
      String symbol, String content) {}

  private final Map<Long, Chunk> chunks;
  private final boolean demote;
  private final Params p;

  /**
   * @param chunks the live candidates in scope by id (ids missing here are dropped from the lists)
   * @param demote whether non-implementation files count {@value #NON_IMPL_FACTOR}
   */
  Fusion(Map<Long, Chunk> chunks, boolean demote, Params p) {
    this.chunks = chunks;
    this.demote = demote;
    this.p = p;
  }

  List<SearchHit> chunks(List<Long> vector, List<Long> text, int limit) {
    Map<Long, Double> score = chunkScores(vector, text);
    List<SearchHit> out = new ArrayList<>();
    score.entrySet().stream().sorted(Map.Entry.<Long, Double>comparingByValue().reversed()
        .thenComparing(Map.Entry.comparingByKey())).limit(limit).forEach(e -> {
          Chunk c = chunks.get(e.getKey());
          out.add(hit(c, e.getValue(), List.of(match(c, e.getValue()))));
        });
    return out;
  }

  List<SearchHit> files(List<Long> vector, List<Long> text, int limit) {
    Map<Long, Double> chunkScore = chunkScores(vector, text);
    Map<Long, Double> fileScore = new HashMap<>();
    add(fileScore, fileRanks(vector), p.vectorWeight());
    add(fileScore, fileRanks(text), p.textWeight());
    Map<Long, List<Chunk>> byFile = new HashMap<>();
    for (Long id : chunkScore.keySet()) {
      Chunk c = chunks.get(id);
      byFile.computeIfAbsent(c.fileId(), f -> new ArrayList<>()).add(c);
    }
    List<SearchHit> out = new ArrayList<>();
    fileScore.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue() * factor(byFile.get(e.getKey()).get(0))))
        .sorted(Map.Entry.<Long, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .limit(limit).forEach(e -> {
          List<Chunk> best = byFile.get(e.getKey());
          best.sort(Comparator.comparingDouble((Chunk c) -> -chunkScore.get(c.id())).thenComparingLong(Chunk::id));
          List<SearchHit.Match> matches = new ArrayList<>();
          for (Chunk c : best.subList(0, Math.min(MATCHES, best.size()))) {
            matches.add(match(c, chunkScore.get(c.id())));
          }
          out.add(hit(best.get(0), e.getValue(), matches));
        });
    return out;
  }

  private Map<Long, Double> chunkScores(List<Long> vector, List<Long> text) {
    Map<Long, Double> score = new HashMap<>();
    add(score, ranks(vector), p.vectorWeight());
    add(score, ranks(text), p.textWeight());
    score.replaceAll((id, v) -> v * factor(chunks.get(id)));
    return score;
  }

  private double factor(Chunk c) {
    return demote && c.role() != SearchHit.Role.IMPLEMENTATION ? p.nonImplFactor() : 1.0;
  }

  /** Rank (from 1) of each chunk in scope, in list order. */
  private Map<Long, Integer> ranks(List<Long> list) {
    Map<Long, Integer> out = new LinkedHashMap<>();
    for (Long id : list) {
      if (chunks.containsKey(id) && !out.containsKey(id)) {
        out.put(id, out.size() + 1);
      }
    }
    return out;
  }

  /** Rank (from 1) of each file among distinct files, by its first chunk in the list. */
  private Map<Long, Integer> fileRanks(List<Long> list) {
    Map<Long, Integer> out = new LinkedHashMap<>();
    for (Long id : list) {
      Chunk c = chunks.get(id);
      if (c != null && !out.containsKey(c.fileId())) {
        out.put(c.fileId(), out.size() + 1);
      }
    }
    return out;
  }

  private void add(Map<Long, Double> score, Map<Long, Integer> ranks, double weight) {
    ranks.forEach((id, rank) -> score.merge(id, weight / (p.k() + rank), Double::sum));
  }

  private static SearchHit.Match match(Chunk c, double score) {
    return new SearchHit.Match(c.startLine(), c.endLine(), c.symbol(), score, c.id());
  }

  private static SearchHit hit(Chunk c, double score, List<SearchHit.Match> matches) {
    return new SearchHit(c.codebase(), c.path(), c.startLine(), c.endLine(), c.symbol(), c.content(), score, c.id(),
        c.role(), matches);
  }
}
