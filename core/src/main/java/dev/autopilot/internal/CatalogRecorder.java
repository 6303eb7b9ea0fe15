package dev.autopilot.internal;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records this instance and its task catalog in the database after start, heartbeats it every
 * 15 s and marks it stopped on close, so operator tools see which hosts run which tasks.
 */
public final class CatalogRecorder implements Extension {

  static final long HEARTBEAT_SECONDS = 15;
  private static final Logger log = LoggerFactory.getLogger(CatalogRecorder.class);

  private final java.util.List<String> packs;
  private Runtime rt;
  private CatalogStore store;
  private ScheduledExecutorService timer;

  /** @param packs the names of the packs this instance runs */
  public CatalogRecorder(java.util.List<String> packs) {
    this.packs = java.util.List.copyOf(packs);
  }

  @Override
  public void afterStart(Runtime rt) {
    this.rt = rt;
    this.store = new CatalogStore(rt.jdbc(), rt.schema());
    store.record(rt.instanceName(), packs, rt.schemaVersion(), rt);
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "autopilot-instance-heartbeat-" + rt.instanceName());
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(this::beat, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
  }

  private void beat() {
    try {
      store.heartbeat(rt.instanceName());
    } catch (RuntimeException e) {
      log.debug("{}instance heartbeat not written: {}", rt.logPrefix(), e.toString());
    }
  }

  @Override
  public void close() {
    if (timer == null) {
      return;
    }
    timer.shutdownNow();
    try {
      store.stopped(rt.instanceName());
    } catch (RuntimeException e) {
      log.debug("{}instance not marked stopped: {}", rt.logPrefix(), e.toString());
    }
  }
}
