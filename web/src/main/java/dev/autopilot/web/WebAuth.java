package dev.autopilot.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may sign in to the dashboard: API tokens ({@code Authorization: Bearer ...}) and users with
 * a password ({@code Authorization: Basic ...}, or the sign-in form), each with a {@link Role}.
 * Immutable; secrets are kept only as SHA-256 digests and never appear in a page, an API answer
 * or a log line.
 *
 * <pre>{@code
 * WebAuth auth = WebAuth.none()
 *     .withUser("ops", System.getenv("DASHBOARD_PASSWORD"), Role.ADMIN)
 *     .withToken("monitoring", System.getenv("DASHBOARD_TOKEN"), Role.READ_ONLY);
 * }</pre>
 */
public final class WebAuth {

  private final List<Credential> credentials;

  private WebAuth(List<Credential> credentials) {
    this.credentials = List.copyOf(credentials);
  }

  /**
   * @return no credentials: only allowed on a loopback address, where every request acts as the
   *     local user with the {@link Role#ADMIN} role (unless the dashboard is read-only)
   */
  public static WebAuth none() {
    return new WebAuth(List.of());
  }

  /**
   * @param name the user name shown in the audit table
   * @param password the password, at least 8 characters
   * @param role what the user may do
   * @return a copy with this user added
   * @throws IllegalArgumentException naming the setting when the name or password is unusable
   */
  public WebAuth withUser(String name, String password, Role role) {
    checkName(name);
    if (password == null || password.length() < 8) {
      throw new IllegalArgumentException("web auth: the password of user '" + name + "' must be at least 8 characters");
    }
    return with(new Credential(Kind.USER, name, digest(name + ":" + password), Objects.requireNonNull(role, "role")));
  }

  /**
   * @param name the token's name shown in the audit table (for example the tool that uses it)
   * @param token the token, at least 16 characters
   * @param role what its holder may do
   * @return a copy with this token added
   * @throws IllegalArgumentException naming the setting when the name or token is unusable
   */
  public WebAuth withToken(String name, String token, Role role) {
    checkName(name);
    if (token == null || token.length() < 16) {
      throw new IllegalArgumentException("web auth: token '" + name + "' must be at least 16 characters");
    }
    return with(new Credential(Kind.TOKEN, name, digest(token), Objects.requireNonNull(role, "role")));
  }

  /** @return true when at least one user or token is configured, so every request must sign in */
  public boolean required() {
    return !credentials.isEmpty();
  }

  /**
   * @param user a user name
   * @param password its password
   * @return the signed-in user when both match a configured user
   */
  Optional<SignedIn> user(String user, String password) {
    if (user == null || password == null) {
      return Optional.empty();
    }
    byte[] d = digest(user + ":" + password);
    return find(Kind.USER, d);
  }

  /**
   * @param token a bearer token
   * @return the signed-in holder when it matches a configured token
   */
  Optional<SignedIn> token(String token) {
    return token == null ? Optional.empty() : find(Kind.TOKEN, digest(token));
  }

  private Optional<SignedIn> find(Kind kind, byte[] d) {
    SignedIn found = null;
    for (Credential c : credentials) { // no early exit: the time does not tell which entry matched
      if (c.kind == kind && MessageDigest.isEqual(c.digest, d) && found == null) {
        found = new SignedIn(c.name, c.role);
      }
    }
    return Optional.ofNullable(found);
  }

  private WebAuth with(Credential c) {
    for (Credential e : credentials) {
      if (e.kind == c.kind && e.name.equals(c.name)) {
        throw new IllegalArgumentException("web auth: " + c.kind.name().toLowerCase(java.util.Locale.ROOT) + " '"
            + c.name + "' is configured twice");
      }
    }
    List<Credential> all = new ArrayList<>(credentials);
    all.add(c);
    return new WebAuth(all);
  }

  private static void checkName(String name) {
    if (name == null || name.isBlank() || name.length() > 100 || name.indexOf(':') >= 0) {
      throw new IllegalArgumentException("web auth: a user or token name must be 1-100 characters without ':', was '"
          + name + "'");
    }
  }

  private static byte[] digest(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from this JVM", e);
    }
  }

  @Override
  public String toString() {
    return "WebAuth[" + credentials.size() + " credential(s)]";
  }

  private enum Kind { USER, TOKEN }

  private record Credential(Kind kind, String name, byte[] digest, Role role) {}

  /**
   * Someone signed in.
   *
   * @param name the user or token name
   * @param role the role
   */
  record SignedIn(String name, Role role) {}
}
