package dev.autopilot.internal.learning;

import dev.autopilot.AutopilotException;
import dev.autopilot.spi.CacheRegistry;
import dev.autopilot.spi.JavaTask;
import dev.autopilot.spi.TaskContext;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code code-analysis-cache-clear}: clears every cache in the instance's {@link CacheRegistry}
 * and logs the entries freed per cache. A cache that fails does not stop the others; the run then
 * fails naming it. Runs on the instance db-scheduler picks; each instance's caches are its own.
 */
final class CacheClear implements JavaTask {

  private static final Logger log = LoggerFactory.getLogger(CacheClear.class);

  @Override
  public void run(TaskContext ctx) {
    String prefix = "[" + ctx.taskName() + "] ";
    CacheRegistry registry = ctx.service(CacheRegistry.class).orElse(null);
    if (registry == null || registry.names().isEmpty()) {
      ctx.skip("no caches registered");
      return;
    }
    Map<String, CacheRegistry.Result> results = registry.clearAll();
    long total = 0;
    StringBuilder failed = new StringBuilder();
    for (Map.Entry<String, CacheRegistry.Result> e : results.entrySet()) {
      if (e.getValue().ok()) {
        log.info("{}cache {}: {} entries freed", prefix, e.getKey(), e.getValue().freed());
        total += Math.max(0, e.getValue().freed());
      } else {
        log.error("{}cache {} could not be cleared: {}", prefix, e.getKey(), e.getValue().error());
        failed.append(failed.length() == 0 ? "" : "; ").append(e.getKey()).append(": ").append(e.getValue().error());
      }
    }
    log.info("{}{} cache(s) cleared, {} entries freed", prefix, results.size(), total);
    ctx.progress(results.size(), results.size(), total + " entries freed");
    if (failed.length() > 0) {
      throw new AutopilotException("cache clear failed for " + failed);
    }
  }
}
