package dev.autopilot.web;

import com.sun.net.httpserver.HttpServer;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** A running dashboard: tells its address; closing stops it. */
public final class WebServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService pool;
  private final URI url;

  WebServer(HttpServer server, ExecutorService pool, InetAddress bound, String basePath) {
    this.server = server;
    this.pool = pool;
    String host;
    if (bound.isAnyLocalAddress()) {
      host = "127.0.0.1";
    } else if (bound instanceof Inet6Address) {
      host = "[" + bound.getHostAddress() + "]";
    } else {
      host = bound.getHostAddress();
    }
    this.url = URI.create("http://" + host + ":" + server.getAddress().getPort()
        + (basePath.endsWith("/") ? basePath : basePath + "/"));
  }

  /** @return the dashboard's address, for example {@code http://127.0.0.1:8080/autopilot/} */
  public URI url() {
    return url;
  }

  /** @return the port listened on (the one chosen when 0 was asked for) */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Stops listening, giving requests in progress up to a second. */
  @Override
  public void close() {
    server.stop(1);
    pool.shutdown();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "WebServer[" + url + "]";
  }
}
