package dev.autopilot.internal.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bundled model's length-sorted batches change neither the order nor (beyond rounding) the vectors. */
class MiniLmModelTest {

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
    }
    return dot; // both L2-normalised
  }

  @Test
  void textsOfMixedLengthsGetTheVectorsTheyGetAloneInTheOrderGiven() {
    MiniLmModel model = EmbeddingModels.bundled();
    List<String> texts = new ArrayList<>();
    StringBuilder longText = new StringBuilder("class Scheduler {\n");
    for (int i = 0; i < 120; i++) {
      longText.append("  void step").append(i).append("() { queue.poll(); }\n");
    }
    for (int i = 0; i < 70; i++) {
      texts.add(switch (i % 5) {
        case 0 -> longText.toString(); // truncated to 256 word pieces
        case 1 -> "parse the cron expression " + i;
        case 2 -> "";
        case 3 -> "database backup verified with pg_restore --list, kept for " + i + " days, then rotated";
        default -> "x" + i;
      });
    }
    List<float[]> together = model.embed(texts);
    assertEquals(texts.size(), together.size());
    List<float[]> alone = new ArrayList<>();
    for (String t : texts) {
      alone.add(model.embed(List.of(t)).get(0));
    }
    for (int i = 0; i < texts.size(); i++) {
      assertEquals(MiniLmModel.DIMS, together.get(i).length);
      assertEquals(1.0, cosine(together.get(i), together.get(i)), 1e-4, "normalised");
      // int8 activations are quantised per forward pass, so the company of a batch moves a vector a
      // little (most for the nearly empty text); its own text's vector stays the closest by far
      assertTrue(cosine(alone.get(i), together.get(i)) > 0.95, "text " + i + ": " + cosine(alone.get(i), together.get(i)));
      for (int j = 0; j < texts.size(); j++) {
        if (!texts.get(j).equals(texts.get(i))) {
          assertTrue(cosine(alone.get(i), together.get(i)) > cosine(alone.get(j), together.get(i)),
              "text " + i + " is in its place, not text " + j + "'s");
        }
      }
    }
    assertTrue(cosine(together.get(1), together.get(3)) < 0.9, "different texts stay apart");
    assertTrue(model.embed(List.of()).isEmpty());
  }
}
