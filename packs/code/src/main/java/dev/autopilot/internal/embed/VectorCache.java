package dev.autopilot.internal.embed;

import dev.autopilot.internal.Jdbc;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The real[] storage's exact search: every chunk vector of the current model held in one float
 * array, reloaded when the stored vectors change (count, newest id or newest write differ).
 */
public final class VectorCache {

  /** A candidate from the scan. */
  public record Scored(long ownerId, double similarity) {}

  /** One consistent copy of the vectors; take it once per search. */
  public record Snapshot(String signature, long[] ids, float[] data, float[] norms, int dims) {}

  private final Jdbc jdbc;
  private final String s;
  private volatile Snapshot snapshot;

  public VectorCache(Jdbc jdbc, String schema) {
    this.jdbc = jdbc;
    this.s = Jdbc.quoteIdent(schema) + ".";
  }

  /** @return the k nearest chunk vectors by cosine similarity, best first */
  public List<Scored> nearest(Snapshot snap, float[] query, int k) {
    double qn = Embedder.norm(query);
    PriorityQueue<Scored> top = new PriorityQueue<>(k + 1, (a, b) -> Double.compare(a.similarity(), b.similarity()));
    int dims = snap.dims;
    if (dims != query.length) {
      return List.of();
    }
    for (int i = 0; i < snap.ids.length; i++) {
      double dot = 0;
      int base = i * dims;
      for (int d = 0; d < dims; d++) {
        dot += snap.data[base + d] * query[d];
      }
      double sim = dot / Math.max(1e-12, qn * snap.norms[i]);
      if (top.size() < k) {
        top.add(new Scored(snap.ids[i], sim));
      } else if (sim > top.peek().similarity()) {
        top.poll();
        top.add(new Scored(snap.ids[i], sim));
      }
    }
    List<Scored> out = new ArrayList<>(top);
    out.sort((a, b) -> Double.compare(b.similarity(), a.similarity()));
    return out;
  }

  /** @return the similarity of one chunk's vector to the query, or null without a vector */
  public Double similarity(Snapshot snap, long ownerId, float[] query) {
    int i = java.util.Arrays.binarySearch(snap.ids, ownerId);
    if (i < 0 || snap.dims != query.length) {
      return null;
    }
    double dot = 0;
    for (int d = 0; d < snap.dims; d++) {
      dot += snap.data[i * snap.dims + d] * query[d];
    }
    return dot / Math.max(1e-12, Embedder.norm(query) * snap.norms[i]);
  }

  /** Decodes array_send(real[]): ndim, has-null flag, element type, (size, lower bound) per dimension, then (length, value) per element. */
  static float[] floats(byte[] b) {
    java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b);
    int ndim = buf.getInt();
    buf.getInt();
    buf.getInt();
    if (ndim == 0) {
      return new float[0];
    }
    int n = buf.getInt();
    buf.getInt();
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      int len = buf.getInt();
      v[i] = len == 4 ? buf.getFloat() : 0f;
    }
    return v;
  }

  /** @return the current vectors of the model, reloaded only when embeddings changed */
  public Snapshot current(String model) {
    String sig = model + ":" + jdbc.queryOne("SELECT version FROM " + s + "embeddings_version", Jdbc.NONE,
        rs -> rs.getLong(1)).orElse(-1L);
    Snapshot snap = snapshot;
    if (snap != null && snap.signature.equals(sig)) {
      return snap;
    }
    synchronized (this) {
      if (snapshot != null && snapshot.signature.equals(sig)) {
        return snapshot;
      }
      snapshot = load(model, sig);
      return snapshot;
    }
  }

  private Snapshot load(String model, String sig) {
    return jdbc.withConnection(c -> {
      c.setAutoCommit(false); // lets the driver stream with a fetch size
      try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT owner_id, array_send(vector), norm, dims FROM " + s
          + "embeddings WHERE owner_type = 'chunk' AND model = ? ORDER BY owner_id")) {
        ps.setFetchSize(2000);
        ps.setString(1, model);
        long[] ids = new long[1024];
        float[] data = new float[0];
        float[] norms = new float[1024];
        int n = 0;
        int dims = 0;
        try (java.sql.ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            float[] v = floats(rs.getBytes(2)); // binary: parsing the text form is 50x slower
            if (n == 0) {
              dims = v.length;
              data = new float[1024 * dims];
            }
            if (v.length != dims) {
              continue;
            }
            if (n == ids.length) {
              ids = java.util.Arrays.copyOf(ids, n * 2);
              norms = java.util.Arrays.copyOf(norms, n * 2);
              data = java.util.Arrays.copyOf(data, n * 2 * dims);
            }
            ids[n] = rs.getLong(1);
            norms[n] = rs.getFloat(3);
            for (int d = 0; d < dims; d++) {
              data[n * dims + d] = v[d];
            }
            n++;
          }
        }
        c.commit();
        return new Snapshot(sig, java.util.Arrays.copyOf(ids, n), data, norms, dims);
      } finally {
        c.setAutoCommit(true);
      }
    });
  }
}
