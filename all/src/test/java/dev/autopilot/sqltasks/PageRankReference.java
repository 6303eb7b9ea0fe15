package dev.autopilot.sqltasks;

/**
 * In-memory PageRank with the rules of pagerank_recalculation (V007): simple directed graph over
 * dense node indexes, dangling mass spread evenly, start 1/N, stop when the L1 change is below
 * tol or after maxIter iterations.
 */
final class PageRankReference {
  int iterations;
  double lastDelta;

  /**
   * @param n nodes 0..n-1
   * @param src edge sources (deduplicated pairs)
   * @param dst edge targets
   */
  double[] run(int n, int[] src, int[] dst, double d, double tol, int maxIter) {
    int[] out = new int[n];
    for (int s : src) {
      out[s]++;
    }
    double[] r = new double[n];
    java.util.Arrays.fill(r, 1.0 / n);
    iterations = 0;
    while (true) {
      iterations++;
      double dangling = 0;
      for (int i = 0; i < n; i++) {
        if (out[i] == 0) {
          dangling += r[i];
        }
      }
      double base = (1 - d) / n + d * dangling / n;
      double[] next = new double[n];
      for (int e = 0; e < src.length; e++) {
        next[dst[e]] += r[src[e]] / out[src[e]];
      }
      double delta = 0;
      for (int i = 0; i < n; i++) {
        next[i] = base + d * next[i];
        delta += Math.abs(next[i] - r[i]);
      }
      r = next;
      lastDelta = delta;
      if (delta < tol || iterations >= maxIter) {
        return r;
      }
    }
  }
}
