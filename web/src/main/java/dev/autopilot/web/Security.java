package dev.autopilot.web;

import com.sun.net.httpserver.HttpExchange;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sign-in, sessions and the checks every request and every action passes: who is asking
 * (session cookie, bearer token or basic auth; the local user when no sign-in is configured on a
 * loopback address), the Host check against DNS rebinding, and for actions POST, same Origin,
 * the session's CSRF token in {@value #CSRF_HEADER}, the admin role and no read-only mode.
 */
final class Security {
  static final String COOKIE = "autopilot_session";
  static final String CSRF_HEADER = "X-Autopilot-Csrf";
  private static final Duration IDLE = Duration.ofHours(12);
  private static final int MAX_SESSIONS = 10_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Who is asking. */
  record Principal(String name, Role role) {}

  /** A browser or client session: its CSRF token and who signed in. */
  static final class Session {
    final String id;
    final String csrf;
    final Principal principal;
    volatile Instant lastSeen = Instant.now();

    Session(String id, String csrf, Principal principal) {
      this.id = id;
      this.csrf = csrf;
      this.principal = principal;
    }
  }

  private final WebAuth auth;
  private final boolean readOnly;
  private final String cookiePath;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();

  Security(WebAuth auth, boolean readOnly, String cookiePath) {
    this.auth = auth;
    this.readOnly = readOnly;
    this.cookiePath = cookiePath;
  }

  boolean signInRequired() {
    return auth.required();
  }

  boolean readOnly() {
    return readOnly;
  }

  /**
   * @return who is asking, or empty when sign-in is required and the request carries no valid
   *     credentials (the caller answers 401)
   */
  Optional<Principal> authenticate(HttpExchange ex) {
    if (!auth.required()) {
      return Optional.of(new Principal("local", Role.ADMIN));
    }
    String header = ex.getRequestHeaders().getFirst("Authorization");
    if (header != null) {
      return fromHeader(header);
    }
    return session(ex).map(s -> s.principal);
  }

  private Optional<Principal> fromHeader(String header) {
    int sp = header.indexOf(' ');
    if (sp < 0) {
      return Optional.empty();
    }
    String scheme = header.substring(0, sp).toLowerCase(Locale.ROOT);
    String value = header.substring(sp + 1).trim();
    if (scheme.equals("bearer")) {
      return auth.token(value).map(s -> new Principal(s.name(), s.role()));
    }
    if (scheme.equals("basic")) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
      int colon = decoded.indexOf(':');
      return colon < 0 ? Optional.empty()
          : auth.user(decoded.substring(0, colon), decoded.substring(colon + 1)).map(s -> new Principal(s.name(), s.role()));
    }
    return Optional.empty();
  }

  /** @return who the user/password or token of a sign-in form belongs to */
  Optional<Principal> signIn(String user, String password, String token) {
    Optional<WebAuth.SignedIn> s = token != null && !token.isEmpty() ? auth.token(token) : auth.user(user, password);
    return s.map(x -> new Principal(x.name(), x.role()));
  }

  /** @return the live session named by the request's cookie */
  Optional<Session> session(HttpExchange ex) {
    String id = cookie(ex, COOKIE);
    if (id == null) {
      return Optional.empty();
    }
    Session s = sessions.get(id);
    if (s == null || s.lastSeen.plus(IDLE).isBefore(Instant.now())) {
      if (s != null) {
        sessions.remove(id);
      }
      return Optional.empty();
    }
    s.lastSeen = Instant.now();
    return Optional.of(s);
  }

  /** @return the request's session for this principal, or a new one (its cookie set on the answer) */
  Session sessionFor(HttpExchange ex, Principal p) {
    Optional<Session> s = session(ex);
    if (s.isPresent() && s.get().principal.equals(p)) {
      return s.get();
    }
    return newSession(ex, p);
  }

  Session newSession(HttpExchange ex, Principal p) {
    if (sessions.size() >= MAX_SESSIONS) {
      Instant cutoff = Instant.now().minus(IDLE);
      sessions.values().removeIf(x -> x.lastSeen.isBefore(cutoff));
      while (sessions.size() >= MAX_SESSIONS) {
        sessions.values().stream().min(Comparator.comparing(x -> x.lastSeen)).ifPresent(x -> sessions.remove(x.id));
      }
    }
    Session s = new Session(random(), random(), p);
    sessions.put(s.id, s);
    ex.getResponseHeaders().add("Set-Cookie", COOKIE + "=" + s.id + "; Path=" + cookiePath
        + "; HttpOnly; SameSite=Strict");
    return s;
  }

  void signOut(HttpExchange ex) {
    session(ex).ifPresent(s -> sessions.remove(s.id));
    ex.getResponseHeaders().add("Set-Cookie", COOKIE + "=; Path=" + cookiePath + "; Max-Age=0; HttpOnly; SameSite=Strict");
  }

  /**
   * Without sign-in the dashboard trusts whoever reaches the loopback address, so a page of
   * another site must not reach it under its own host name (DNS rebinding).
   */
  void checkHost(HttpExchange ex) {
    if (auth.required()) {
      return;
    }
    String host = ex.getRequestHeaders().getFirst("Host");
    String name = host == null ? "" : host.replaceFirst(":\\d+$", "").toLowerCase(Locale.ROOT);
    if (!(name.equals("localhost") || name.equals("127.0.0.1") || name.equals("[::1]") || name.startsWith("127."))) {
      throw new HttpError(403, "this dashboard has no sign-in and answers only to localhost, not to host '" + host + "'");
    }
  }

  /** A browser sends Origin with every POST; it must be this server's own. */
  void checkOrigin(HttpExchange ex) {
    String origin = ex.getRequestHeaders().getFirst("Origin");
    if (origin == null) {
      return; // not a browser: the CSRF token still has to match
    }
    String host = ex.getRequestHeaders().getFirst("Host");
    String originHost;
    try {
      URI u = URI.create(origin);
      originHost = u.getHost() == null ? null : u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
    } catch (IllegalArgumentException e) {
      originHost = null;
    }
    if (originHost == null || host == null || !originHost.equalsIgnoreCase(host)) {
      throw new HttpError(403, "cross-origin request refused (Origin " + origin + ")");
    }
  }

  /** The checks an action passes before it runs; failures answer 403. */
  void checkAction(HttpExchange ex, Principal p) {
    if (!ex.getRequestMethod().equals("POST")) {
      throw new HttpError(405, "actions need POST");
    }
    checkOrigin(ex);
    Session s = session(ex).orElseThrow(() -> new HttpError(403, "no session: GET api/session first, then send its csrf token"));
    String token = ex.getRequestHeaders().getFirst(CSRF_HEADER);
    if (!s.principal.equals(p) || token == null
        || !java.security.MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), s.csrf.getBytes(StandardCharsets.UTF_8))) {
      throw new HttpError(403, "missing or wrong " + CSRF_HEADER + " header");
    }
    if (readOnly) {
      throw new HttpError(403, "the dashboard is read-only");
    }
    if (p.role() != Role.ADMIN) {
      throw new HttpError(403, "user '" + p.name() + "' has the read-only role");
    }
  }

  private static String cookie(HttpExchange ex, String name) {
    for (String header : ex.getRequestHeaders().getOrDefault("Cookie", java.util.List.of())) {
      for (String part : header.split(";")) {
        String t = part.trim();
        if (t.startsWith(name + "=")) {
          return t.substring(name.length() + 1);
        }
      }
    }
    return null;
  }

  private static String random() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
