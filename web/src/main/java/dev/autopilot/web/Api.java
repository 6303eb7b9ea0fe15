package dev.autopilot.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.autopilot.Autopilot;
import dev.autopilot.TaskStatus;
import dev.autopilot.UnknownTaskException;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's one handler: static files, the JSON API under {@code api/}, and actions. Paths
 * are taken relative to the base path it is mounted under.
 */
final class Api implements HttpHandler {
  private static final Logger log = LoggerFactory.getLogger(Api.class);

  private final Autopilot autopilot;
  private final String basePath;
  private final Security security;
  private final Store store;
  private final Audit audit;
  private final Actions actions;
  private final Assets assets = new Assets();
  private final Clock clock = Clock.systemUTC();
  private final Map<String, Cached> charts = new java.util.concurrent.ConcurrentHashMap<>();

  /** A chart and until when it is served again (the 7-day chart aggregates a week of history). */
  private record Cached(Store.Chart chart, long until) {}

  Api(Autopilot autopilot, String basePath, Security security) {
    this.autopilot = autopilot;
    this.basePath = basePath;
    this.security = security;
    Sql sql = new Sql(autopilot.dataSource());
    String schema = "\"" + autopilot.schema().replace("\"", "\"\"") + "\"";
    this.store = new Store(sql, schema);
    this.audit = new Audit(sql, schema);
    this.actions = new Actions(autopilot, store);
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    try {
      Http.securityHeaders(ex);
      String full = ex.getRequestURI().getPath();
      if (!full.startsWith(basePath)) {
        throw new HttpError(404, "not found");
      }
      String path = full.substring(basePath.length());
      if (path.isEmpty() && !basePath.endsWith("/")) {
        ex.getResponseHeaders().set("Location", basePath + "/");
        Http.send(ex, 302, new byte[0]);
        return;
      }
      path = path.startsWith("/") ? path.substring(1) : path;
      security.checkHost(ex);
      if (path.startsWith("api/")) {
        api(ex, path.substring(4));
      } else if (!assets.serve(ex, path)) {
        throw new HttpError(404, "not found: " + path);
      }
    } catch (HttpError e) {
      answerError(ex, e.status, e.getMessage());
    } catch (RuntimeException e) {
      log.warn("dashboard request {} {} failed", ex.getRequestMethod(), ex.getRequestURI().getPath(), e);
      answerError(ex, 500, "internal error: " + Http.redact(e.getMessage()));
    } finally {
      ex.close();
    }
  }

  private void answerError(HttpExchange ex, int status, String message) throws IOException {
    if (status == 401) {
      ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"autopilot\"");
    }
    try {
      Http.json(ex, status, Map.of("error", message == null ? "error" : message));
    } catch (IOException | RuntimeException alreadySent) {
      log.debug("could not send the error answer: {}", alreadySent.toString());
    }
  }

  private void api(HttpExchange ex, String route) throws IOException {
    String method = ex.getRequestMethod();
    if (route.equals("login") && method.equals("POST")) {
      login(ex);
      return;
    }
    Security.Principal who = security.authenticate(ex)
        .orElseThrow(() -> new HttpError(401, "sign in required"));
    String[] parts = route.split("/");
    if (method.equals("POST")) {
      post(ex, who, parts);
      return;
    }
    if (!method.equals("GET") && !method.equals("HEAD")) {
      throw new HttpError(405, method + " not allowed on api/" + route);
    }
    if (parts.length > (parts[0].equals("jobs") ? 2 : 1)) {
      throw new HttpError(404, "no such API: api/" + route + (method.equals("GET") ? " (actions need POST)" : ""));
    }
    Map<String, String> q = Http.query(ex);
    Object body = switch (parts[0]) {
      case "session" -> session(ex, who);
      case "overview" -> overview();
      case "chart" -> chart(q.getOrDefault("range", "24h"));
      case "tasks" -> tasks();
      case "jobs" -> parts.length == 1 ? store.jobs(JobsQuery.parse(q)) : job(parts[1]);
      case "cron" -> autopilot.monitor().pgCron(100);
      case "bootstrap" -> autopilot.monitor().bootstrap();
      case "backups" -> backups();
      case "search" -> search(q);
      case "actions" -> audit.recent(50);
      default -> throw new HttpError(404, "no such API: api/" + route);
    };
    Http.json(ex, 200, body);
  }

  private Store.Chart chart(String range) {
    if (!range.equals("24h") && !range.equals("7d")) {
      throw new HttpError(400, "range: expected 24h or 7d, was '" + range + "'");
    }
    long now = System.nanoTime();
    Cached c = charts.get(range);
    if (c == null || now - c.until() > 0) {
      c = new Cached(store.chart(range, clock.instant()), now + (range.equals("7d") ? 60_000_000_000L : 15_000_000_000L));
      charts.put(range, c);
    }
    return c.chart();
  }

  private Map<String, Object> session(HttpExchange ex, Security.Principal who) {
    Security.Session s = security.sessionFor(ex, who);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("user", who.name());
    m.put("role", who.role());
    m.put("readOnly", security.readOnly());
    m.put("canAct", !security.readOnly() && who.role() == Role.ADMIN);
    m.put("signInRequired", security.signInRequired());
    m.put("csrf", s.csrf);
    m.put("instance", autopilot.instanceName());
    m.put("features", Map.of("search", Features.search(autopilot), "actions", actions.available()));
    return m;
  }

  private void login(HttpExchange ex) throws IOException {
    security.checkOrigin(ex);
    JsonNode body = Json.MAPPER.readTree(Http.body(ex));
    String user = body == null ? null : text(body, "user");
    String password = body == null ? null : text(body, "password");
    String token = body == null ? null : text(body, "token");
    Optional<Security.Principal> p = security.signIn(user, password, token);
    if (p.isEmpty()) {
      try {
        Thread.sleep(300); // slows down guessing
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new HttpError(401, "wrong user, password or token");
    }
    Security.Session s = security.newSession(ex, p.get());
    Http.json(ex, 200, Map.of("user", p.get().name(), "role", p.get().role(), "csrf", s.csrf));
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private Map<String, Object> overview() {
    Instant now = clock.instant();
    List<TaskStatus> tasks = autopilot.monitor().tasks();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("health", autopilot.monitor().health());
    m.put("instance", autopilot.instanceName());
    m.put("instances", autopilot.monitor().instances());
    m.put("counts", store.countsByEngine(now));
    Map<String, Long> byEngine = new LinkedHashMap<>();
    byEngine.put("pg_cron", 0L);
    byEngine.put("db-scheduler", 0L);
    tasks.forEach(t -> byEngine.merge(t.engine().label(), 1L, Long::sum));
    m.put("tasksByEngine", byEngine);
    m.put("engines", tasks.stream().map(t -> Map.of("task", t.name(), "engine", t.engine().label(),
        "reason", t.engineReason() == null ? "" : t.engineReason())).toList());
    m.put("actions", audit.recent(10));
    m.put("now", now);
    return m;
  }

  private List<Map<String, Object>> tasks() {
    List<TaskStatus> tasks = autopilot.monitor().tasks();
    Map<String, List<Store.Dot>> strips = store.recentRuns(tasks.stream().map(TaskStatus::name).toList(), 20);
    Map<String, dev.autopilot.Pause> pauses = new java.util.HashMap<>();
    autopilot.control().pauses().forEach(p -> pauses.put(p.task(), p));
    return tasks.stream().map(t -> {
      Map<String, Object> m = Json.MAPPER.convertValue(t, Json.MAP);
      m.put("recent", strips.getOrDefault(t.name(), List.of()));
      m.put("paused", actions.paused(t));
      m.put("pause", pauses.get(t.name()));
      return m;
    }).toList();
  }

  private Map<String, Object> job(String idText) {
    long id;
    try {
      id = Long.parseLong(idText);
    } catch (NumberFormatException e) {
      throw new HttpError(400, "job id: expected a number, was '" + idText + "'");
    }
    Store.Job j = store.job(id).orElseThrow(() -> new HttpError(404, "no job with id " + id + " in job history"));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("job", j);
    m.put("attempts", store.attempts(j));
    m.putAll(actions.links(j));
    return m;
  }

  private Object backups() {
    return store.backups(200).<Object>map(list -> Map.of("available", true, "backups", list))
        .orElse(Map.of("available", false, "backups", List.of()));
  }

  private Object search(Map<String, String> q) {
    if (!Features.search(autopilot)) {
      throw new HttpError(404, "search needs the code pack");
    }
    String text = q.getOrDefault("q", "").trim();
    if (text.length() > 500) {
      throw new HttpError(400, "q: at most 500 characters");
    }
    int k = 10;
    try {
      k = Integer.parseInt(q.getOrDefault("k", "10"));
    } catch (NumberFormatException e) {
      throw new HttpError(400, "k: expected a number 1..50");
    }
    if (k < 1 || k > 50) {
      throw new HttpError(400, "k: expected a number 1..50, was " + k);
    }
    return Map.of("query", text, "hits", text.isEmpty() ? List.of() : Features.search(autopilot, text, k));
  }

  private void post(HttpExchange ex, Security.Principal who, String[] parts) throws IOException {
    if (parts[0].equals("logout")) {
      security.signOut(ex);
      Http.json(ex, 200, Map.of("signedOut", true));
      return;
    }
    String action;
    String target;
    if (parts.length == 3 && parts[0].equals("tasks")) {
      action = parts[2];
      target = parts[1];
    } else if (parts.length == 3 && parts[0].equals("jobs")) {
      action = parts[2];
      target = parts[1];
    } else {
      throw new HttpError(404, "no such action: api/" + String.join("/", parts));
    }
    if (!actions.supports(parts[0], action)) {
      throw new HttpError(404, "no such action: " + action + " on " + parts[0]);
    }
    String remote = ex.getRemoteAddress() == null ? null : ex.getRemoteAddress().getAddress().getHostAddress();
    try {
      security.checkAction(ex, who);
    } catch (HttpError refused) {
      audit.record(who, action, target, "refused", refused.getMessage(), remote);
      throw refused;
    }
    JsonNode body = null;
    byte[] raw = Http.body(ex);
    if (raw.length > 0) {
      body = Json.MAPPER.readTree(raw);
    }
    String reason = body == null ? null : text(body, "reason");
    Map<String, Object> result;
    try {
      result = actions.run(parts[0], action, target, who.name(), reason);
    } catch (HttpError e) {
      audit.record(who, action, target, "refused", e.getMessage(), remote);
      throw e;
    } catch (UnknownTaskException e) {
      audit.record(who, action, target, "refused", e.getMessage(), remote);
      throw new HttpError(404, e.getMessage());
    } catch (dev.autopilot.AutopilotException | IllegalArgumentException e) {
      audit.record(who, action, target, "refused", Http.redact(e.getMessage()), remote);
      throw new HttpError(409, action + " refused: " + Http.redact(e.getMessage()));
    } catch (RuntimeException e) {
      audit.record(who, action, target, "failed", Http.redact(e.getMessage()), remote);
      throw new HttpError(500, action + " failed: " + Http.redact(e.getMessage()));
    }
    audit.record(who, action, target, "done", String.valueOf(result.getOrDefault("detail", "")), remote);
    log.info("dashboard action {} on {} by {} ({})", action, target, who.name(), who.role().label());
    Http.json(ex, 200, result);
  }
}
