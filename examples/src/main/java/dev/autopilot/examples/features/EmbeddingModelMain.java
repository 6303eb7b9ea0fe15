package dev.autopilot.examples.features;

import dev.autopilot.Autopilot;
import dev.autopilot.code.SearchHit;
import dev.autopilot.code.EmbeddingModel;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * A custom embedding model: register any {@link EmbeddingModel} as a service and Autopilot uses it
 * instead of the bundled all-MiniLM-L6-v2 for code chunks, templates, knowledge and queries. Every
 * stored vector records the model's {@link EmbeddingModel#id()}, so switching models re-embeds.
 *
 * <p>The model here is a tiny feature-hashing bag of words (each word lands in one of 64 buckets,
 * then the vector is L2-normalised): crude, but real, deterministic and instant.
 */
public final class EmbeddingModelMain {

  private EmbeddingModelMain() {}

  /** Words hashed into buckets; good enough to match query words to code words. */
  static final class HashingModel implements EmbeddingModel {
    @Override
    public String id() {
      return "example-hashing-64";
    }

    @Override
    public int dimensions() {
      return 64;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
      List<float[]> out = new ArrayList<>(texts.size());
      for (String t : texts) {
        float[] v = new float[64];
        for (String w : t.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
          if (w.length() > 2) {
            v[Math.floorMod(w.hashCode(), 64)] += 1f;
          }
        }
        double n = 0;
        for (float x : v) {
          n += x * x;
        }
        float norm = (float) Math.sqrt(n);
        for (int i = 0; i < v.length && norm > 0; i++) {
          v[i] /= norm;
        }
        out.add(v);
      }
      return out;
    }
  }

  /**
   * Ingests a three-file codebase with the custom model and searches it.
   *
   * @param ds the database
   * @param workDir an empty directory for the codebase
   * @param out where to print
   * @return the hits of the query "parse cron schedule", best first
   */
  public static List<SearchHit> run(DataSource ds, Path workDir, PrintStream out) {
    Path code = workDir.resolve("shop");
    write(code.resolve("Cron.java"), "class Cron {\n  /** Parses a cron schedule expression. */\n"
        + "  static Cron parse(String schedule) { return new Cron(); }\n}\n");
    write(code.resolve("Cart.java"), "class Cart {\n  /** Adds an item to the shopping cart. */\n"
        + "  void add(String item, int quantity) {}\n}\n");
    write(code.resolve("Mailer.java"), "class Mailer {\n  /** Sends the invoice email to the customer. */\n"
        + "  void send(String address) {}\n}\n");
    try (Autopilot ap = Autopilot.builder(ds).discoverProviders(false)
        .service(EmbeddingModel.class, new HashingModel())
        // only the code pack: ingest (start-up 85) and rag-setup (start-up 70) run in the bootstrap
        .property("autopilot.pack.sql.enabled", "false")
        .property("autopilot.pack.knowledge.enabled", "false")
        .property("autopilot.pack.backup.enabled", "false")
        .property("autopilot.pack.learning.enabled", "false")
        .property("autopilot.code.roots", "shop=" + code)
        .pollingInterval(Duration.ofMillis(200))
        .build().start()) {
      out.println("bootstrap: " + (ap.awaitBootstrap(Duration.ofMinutes(2)).succeeded() ? "done" : "not finished"));
      List<SearchHit> hits = dev.autopilot.code.CodeSearch.of(ap).search("parse cron schedule", 3);
      hits.forEach(h -> out.printf(Locale.ROOT, "%.3f  %s:%d-%d%n", h.score(), h.path(), h.startLine(), h.endLine()));
      return hits;
    }
  }

  private static void write(Path p, String text) {
    try {
      Files.createDirectories(p.getParent());
      Files.writeString(p, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * @param args optional {@code --jdbc-url URL}
   * @throws IOException when the temporary codebase cannot be written
   */
  public static void main(String[] args) throws IOException {
    Path dir = Files.createTempDirectory("autopilot-embedding-example");
    try (ExampleDatabase db = ExampleDatabase.open(args)) {
      run(db.dataSource(), dir, System.out);
    }
  }
}
