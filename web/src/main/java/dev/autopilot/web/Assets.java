package dev.autopilot.web;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The dashboard's static files, from the jar: its own, and uPlot from the uPlot webjar. */
final class Assets {
  private static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";
  private static final Map<String, String> FILES = Map.of(
      "index.html", "dev/autopilot/web/static/index.html",
      "assets/app.js", "dev/autopilot/web/static/app.js",
      "assets/app.css", "dev/autopilot/web/static/app.css",
      "assets/favicon.svg", "dev/autopilot/web/static/favicon.svg",
      "assets/uPlot.iife.min.js", UPLOT + "uPlot.iife.min.js",
      "assets/uPlot.min.css", UPLOT + "uPlot.min.css");
  private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml");

  private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

  /** @return true when the path names a static file (and it was sent) */
  boolean serve(HttpExchange ex, String path) throws IOException {
    String key = path.isEmpty() ? "index.html" : path;
    String resource = FILES.get(key);
    if (resource == null) {
      return false;
    }
    if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
      throw new HttpError(405, "static files answer GET only");
    }
    byte[] body = cache.computeIfAbsent(resource, Assets::load);
    String ext = key.substring(key.lastIndexOf('.') + 1);
    ex.getResponseHeaders().set("Content-Type", TYPES.get(ext));
    ex.getResponseHeaders().set("Cache-Control", key.equals("index.html") ? "no-cache" : "max-age=300");
    Http.send(ex, 200, body);
    return true;
  }

  private static byte[] load(String resource) {
    try (InputStream in = Assets.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("dashboard resource missing from the class path: " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read dashboard resource " + resource, e);
    }
  }
}
