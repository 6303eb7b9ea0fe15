package dev.autopilot.web;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.autopilot.Autopilot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Autopilot dashboard and its JSON API, on the JDK's built-in HTTP server: no servlet
 * container, no Node build, nothing loaded from the internet.
 *
 * <pre>{@code
 * try (WebServer web = AutopilotWeb.create(autopilot).port(8080).start()) {
 *   System.out.println("dashboard at " + web.url());
 * }
 * }</pre>
 *
 * <p>Bound to a loopback address (the default, {@value #DEFAULT_BIND}) it may run without
 * sign-in; bound to any other address it requires {@link #auth(WebAuth)} with at least one user
 * or token, and {@link #start()} refuses otherwise. Actions (run now, pause, resume, retry,
 * cancel) need POST, a same-origin request, the session's CSRF token, the {@link Role#ADMIN}
 * role and no {@link #readOnly(boolean) read-only mode}; each is recorded in the {@code
 * action_audit} table. To serve it from a host's own {@link HttpServer}, mount {@link #handler()}
 * under {@link #basePath(String)}.
 */
public final class AutopilotWeb {
  private static final Logger log = LoggerFactory.getLogger(AutopilotWeb.class);

  /** Default port. */
  public static final int DEFAULT_PORT = 8080;
  /** Default address bound: loopback only. */
  public static final String DEFAULT_BIND = "127.0.0.1";
  /** Default base path. */
  public static final String DEFAULT_BASE_PATH = "/";
  /** Default number of threads answering requests. */
  public static final int DEFAULT_THREADS = 4;

  private final Autopilot autopilot;
  private int port = DEFAULT_PORT;
  private String bind = DEFAULT_BIND;
  private String basePath = DEFAULT_BASE_PATH;
  private WebAuth auth = WebAuth.none();
  private boolean readOnly;
  private int threads = DEFAULT_THREADS;

  private AutopilotWeb(Autopilot autopilot) {
    this.autopilot = Objects.requireNonNull(autopilot, "autopilot");
  }

  /**
   * @param autopilot a started or attached Autopilot
   * @return a builder of the dashboard over it
   */
  public static AutopilotWeb create(Autopilot autopilot) {
    return new AutopilotWeb(autopilot);
  }

  /**
   * @param port the TCP port, 0 for any free one (default {@value #DEFAULT_PORT})
   * @return this builder
   */
  public AutopilotWeb port(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("web port: expected 0..65535, was " + port);
    }
    this.port = port;
    return this;
  }

  /**
   * @param address the address to listen on, for example {@code 127.0.0.1} (default) or {@code
   *     0.0.0.0}; anything but loopback requires sign-in
   * @return this builder
   */
  public AutopilotWeb bind(String address) {
    if (address == null || address.isBlank()) {
      throw new IllegalArgumentException("web bind: an address is required, for example 127.0.0.1");
    }
    this.bind = address.trim();
    return this;
  }

  /**
   * @param path the path the dashboard lives under, for example {@code /autopilot} (default
   *     {@value #DEFAULT_BASE_PATH})
   * @return this builder
   */
  public AutopilotWeb basePath(String path) {
    if (path == null || !path.startsWith("/") || !path.matches("/[A-Za-z0-9._~/-]*") || path.contains("//")) {
      throw new IllegalArgumentException("web base path: expected an absolute path like /autopilot, was '" + path + "'");
    }
    this.basePath = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return this;
  }

  /**
   * @param auth who may sign in; {@link WebAuth#none()} (default) only on loopback
   * @return this builder
   */
  public AutopilotWeb auth(WebAuth auth) {
    this.auth = Objects.requireNonNull(auth, "auth");
    return this;
  }

  /**
   * @param readOnly true to refuse every action whoever asks (default false)
   * @return this builder
   */
  public AutopilotWeb readOnly(boolean readOnly) {
    this.readOnly = readOnly;
    return this;
  }

  /**
   * @param threads threads answering requests, at least 1 (default {@value #DEFAULT_THREADS})
   * @return this builder
   */
  public AutopilotWeb threads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("web threads: at least 1, was " + threads);
    }
    this.threads = threads;
    return this;
  }

  /**
   * The dashboard as a handler, to mount in a host's own JDK {@link HttpServer} with {@code
   * server.createContext(basePath, handler)}. Sign-in is enforced as configured; the loopback
   * rule is the host's to keep (call {@link #auth} when its server is reachable from elsewhere).
   *
   * @return the handler of every path under the base path
   */
  public HttpHandler handler() {
    return new Api(autopilot, basePath.equals("/") ? "" : basePath, new Security(auth, readOnly,
        basePath.equals("/") ? "/" : basePath + "/"));
  }

  /**
   * Starts the server.
   *
   * @return the running server; close it to stop
   * @throws IllegalStateException when bound off loopback without sign-in, or the port is taken
   */
  public WebServer start() {
    InetAddress address;
    try {
      address = InetAddress.getByName(bind);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("web bind: unknown address '" + bind + "'", e);
    }
    if (!address.isLoopbackAddress() && !auth.required()) {
      throw new IllegalStateException("web bind: " + bind + " is not a loopback address, so sign-in is required:"
          + " configure auth(WebAuth.none().withUser(...) or .withToken(...))");
    }
    // the JDK server writes headers and body apart: with Nagle's algorithm on, each answer waits
    // for the client's delayed ACK (about 40 ms); read once, when the first server is created
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(address, port), 64);
    } catch (IOException e) {
      throw new UncheckedIOException("web: cannot listen on " + bind + ":" + port + ": " + e.getMessage(), e);
    }
    AtomicInteger n = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "autopilot-web-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(pool);
    server.createContext(basePath, handler());
    server.start();
    WebServer web = new WebServer(server, pool, address, basePath);
    log.info("[{}] dashboard at {} (sign-in {}, {})", autopilot.instanceName(), web.url(),
        auth.required() ? "required" : "off: loopback only", readOnly ? "read-only" : "actions allowed for admins");
    return web;
  }
}
