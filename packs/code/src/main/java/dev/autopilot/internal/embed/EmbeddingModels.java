package dev.autopilot.internal.embed;

import dev.autopilot.code.EmbeddingModel;
import java.util.Map;

/**
 * Which model a Runtime uses: the host's registered {@link EmbeddingModel}, else the bundled one,
 * loaded lazily once per process (its weights are 23 MB and loading takes about a second, so
 * instances share it; it is stateless and thread-safe).
 */
public final class EmbeddingModels {
  private static volatile MiniLmModel bundled;

  private EmbeddingModels() {}

  public static EmbeddingModel of(Map<Class<?>, Object> services) {
    Object registered = services.get(EmbeddingModel.class);
    return registered != null ? (EmbeddingModel) registered : bundled();
  }

  public static MiniLmModel bundled() {
    MiniLmModel m = bundled;
    if (m == null) {
      synchronized (EmbeddingModels.class) {
        if (bundled == null) {
          bundled = MiniLmModel.load();
        }
        m = bundled;
      }
    }
    return m;
  }
}
