package dev.autopilot.internal.embed;

import dev.autopilot.AutopilotException;
import dev.autopilot.code.EmbeddingProgress;
import dev.autopilot.internal.Jdbc;
import dev.autopilot.code.EmbeddingModel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embedding that may outlive the start-up task that asked for it: the start-up tasks of one
 * instance wait for their backfills at most a budget in all ({@code autopilot.code.embed.wait},
 * default 20 s, counted from the first of them), then the bootstrap goes on while the rest is
 * embedded on one background thread of this instance. Other callers wait as long as they give.
 * Search answers from what is embedded so far meanwhile ({@link #progress}). One per Autopilot
 * instance; {@link #close()} stops it after the current
 * page. What a stopped or crashed backfill left pending is picked up by the next backfill (the
 * pending rows are read from the database, never remembered).
 */
public final class BackgroundEmbedding implements AutoCloseable {
  /** How long a start-up task waits for its embeddings before leaving the rest to the background. */
  public static final Duration DEFAULT_WAIT = Duration.ofSeconds(20);
  private static final Logger log = LoggerFactory.getLogger(BackgroundEmbedding.class);
  private static final long LOG_EVERY_NANOS = 30_000_000_000L;

  /** What a request achieved by the time its caller stopped waiting. */
  public record Outcome(int embedded, boolean finished) {}

  private final AtomicInteger queued = new AtomicInteger();
  private long startupDeadline;
  private boolean startupWindow;
  private ExecutorService executor;
  private volatile boolean closed;

  /**
   * Embeds every pending row of the given owner types, on this instance's background thread
   * (after any request queued before), and waits for it at most {@code wait}.
   *
   * @param wait how long to wait at most
   * @param startup whether the caller is a start-up task: then it waits at most what is left of
   *     {@code wait} after the waits of the start-up tasks before it
   * @param progress receives the running count while the caller waits
   * @param cancelled the caller's cancellation; when it fires while waiting, the request stops too
   * @return how many vectors were written by then, and whether the request finished
   */
  public Outcome embed(DataSource ds, String schema, EmbeddingModel model, List<Embedder.Owner> owners,
      Duration wait, boolean startup, LongConsumer progress, BooleanSupplier cancelled) {
    long now = System.nanoTime();
    long budget = startup ? Math.max(0, startupDeadline(now, wait.toNanos()) - now) : wait.toNanos();
    return await(ds, schema, model, owners, budget, progress, cancelled);
  }

  /**
   * The start-up tasks of one wave share one deadline: a wave's window opens with its first
   * request, and a new one only once the last has passed and nothing is left in the background.
   */
  private synchronized long startupDeadline(long now, long waitNanos) {
    if (!startupWindow || (now - startupDeadline > 0 && queued.get() == 0)) {
      startupWindow = true;
      startupDeadline = now + waitNanos;
    }
    return startupDeadline;
  }

  private Outcome await(DataSource ds, String schema, EmbeddingModel model, List<Embedder.Owner> owners,
      long waitNanos, LongConsumer progress, BooleanSupplier cancelled) {
    AtomicLong done = new AtomicLong();
    java.util.concurrent.atomic.AtomicBoolean waiting = new java.util.concurrent.atomic.AtomicBoolean(true);
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    Future<Outcome> f = submit(() -> {
      Embedder embedder = new Embedder(ds, schema, model);
      long[] lastLog = {System.nanoTime()};
      int total = 0;
      for (Embedder.Owner owner : owners) {
        int base = total;
        total += embedder.backfill(owner, n -> {
          done.set(base + n);
          if (waiting.get()) {
            progress.accept(base + n);
          } else if (System.nanoTime() - lastLog[0] > LOG_EVERY_NANOS) {
            lastLog[0] = System.nanoTime();
            log.info("embedding in the background: {} vector(s) written so far", base + n);
          }
        }, () -> closed || stop.get());
      }
      boolean stopped = closed || stop.get();
      if (!waiting.get()) {
        log.info("background embedding {}: {} vector(s) written", stopped ? "stopped" : "finished", total);
      }
      return new Outcome(total, !stopped);
    });
    long deadline = System.nanoTime() + waitNanos;
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          waiting.set(false);
          if (!f.isDone()) {
            return new Outcome((int) done.get(), false);
          }
        }
        try {
          return f.get(Math.max(0, Math.min(left, 200_000_000L)), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          if (cancelled.getAsBoolean()) {
            stop.set(true);
            throw new CancellationException("cancelled while embedding");
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop.set(true);
      throw new AutopilotException("interrupted while embedding", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      throw c instanceof RuntimeException re ? re : new AutopilotException("embedding failed: " + c, c);
    } finally {
      waiting.set(false);
    }
  }

  private synchronized Future<Outcome> submit(java.util.concurrent.Callable<Outcome> work) {
    if (closed) {
      throw new AutopilotException("this Autopilot instance is closing: no new embedding work");
    }
    if (executor == null) {
      executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "autopilot-background-embedding");
        t.setDaemon(true);
        return t;
      });
    }
    queued.incrementAndGet();
    return executor.submit(() -> {
      try {
        return work.call();
      } catch (RuntimeException e) {
        log.warn("background embedding stopped: {}", e.toString());
        throw e;
      } finally {
        queued.decrementAndGet();
      }
    });
  }

  /** @return true while a backfill of this instance is queued or running */
  public boolean running() {
    return queued.get() > 0;
  }

  /** Stops after the current page; waits a few seconds for the page to be stored. */
  @Override
  public void close() {
    ExecutorService e;
    synchronized (this) {
      closed = true;
      e = executor;
    }
    if (e != null) {
      e.shutdown();
      try {
        if (!e.awaitTermination(10, TimeUnit.SECONDS)) {
          log.warn("background embedding did not stop within 10 s; its thread is a daemon and is left behind");
        }
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Counts in the database how many live chunks have a vector of the current model.
   *
   * @param services the instance's services: the registered {@link EmbeddingModel} (else the
   *     bundled model's id, without loading it) and its {@link BackgroundEmbedding}
   */
  public static EmbeddingProgress progress(Jdbc jdbc, String schema, Map<Class<?>, Object> services) {
    String model = services.get(EmbeddingModel.class) instanceof EmbeddingModel m ? m.id() : MiniLmModel.ID;
    boolean running = services.get(BackgroundEmbedding.class) instanceof BackgroundEmbedding bg && bg.running();
    String s = Jdbc.quoteIdent(schema) + ".";
    return jdbc.queryOne("SELECT count(*), count(*) FILTER (WHERE EXISTS (SELECT 1 FROM " + s + "embeddings e"
        + " WHERE e.owner_type = 'chunk' AND e.owner_id = c.id AND e.model = ?)) FROM " + s + "code_chunks c JOIN "
        + s + "code_files f ON f.id = c.file_id WHERE NOT c.superseded AND NOT f.deleted",
        ps -> ps.setString(1, model), rs -> new EmbeddingProgress(rs.getLong(2), rs.getLong(1), running))
        .orElse(new EmbeddingProgress(0, 0, running));
  }
}
