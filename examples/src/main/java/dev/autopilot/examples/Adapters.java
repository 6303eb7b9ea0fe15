package dev.autopilot.examples;

import dev.autopilot.Autopilot;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The two calls the examples make into parts of Autopilot that are built separately: retrieval
 * ({@code Autopilot.search(String, int)}) and waiting for the start-up bootstrap ({@code
 * Autopilot.awaitBootstrap(Duration)}). They are looked up by reflection so the examples build
 * and run with or without those parts: the demo and the CLI say "not available" where a part is
 * missing instead of failing to compile. Once both are part of the API, these become direct calls.
 */
public final class Adapters {

  private Adapters() {}

  /**
   * @param autopilot the instance
   * @param query the question
   * @param k how many hits
   * @return the hits, best first, or empty when this build of Autopilot has no search
   */
  public static Optional<List<?>> search(Autopilot autopilot, String query, int k) {
    Method m = method("search", String.class, int.class);
    if (m == null) {
      return Optional.empty();
    }
    Object r = invoke(m, autopilot, query, k);
    return Optional.of(r instanceof List ? (List<?>) r : List.of(r));
  }

  /** @return true when this build of Autopilot has search */
  public static boolean searchAvailable() {
    return method("search", String.class, int.class) != null;
  }

  /**
   * Waits for the start-up wave through Autopilot's own {@code awaitBootstrap(Duration)}.
   *
   * @param autopilot the started instance
   * @param timeout how long at most
   * @return false when this build has no such call (the caller then runs the start-up tasks)
   */
  public static boolean awaitBootstrap(Autopilot autopilot, Duration timeout) {
    Method m = method("awaitBootstrap", Duration.class);
    if (m == null) {
      return false;
    }
    invoke(m, autopilot, timeout);
    return true;
  }

  /** @return true when this build of Autopilot runs the start-up wave itself */
  public static boolean bootstrapBuiltIn() {
    return method("awaitBootstrap", Duration.class) != null;
  }

  private static Method method(String name, Class<?>... params) {
    try {
      return Autopilot.class.getMethod(name, params);
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  private static Object invoke(Method m, Object target, Object... args) {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException) {
        throw (RuntimeException) c;
      }
      if (c instanceof Error) {
        throw (Error) c;
      }
      throw new IllegalStateException(c);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}
