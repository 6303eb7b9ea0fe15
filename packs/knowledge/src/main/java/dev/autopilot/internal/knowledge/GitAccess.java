package dev.autopilot.internal.knowledge;

import dev.autopilot.spi.TaskConfig;
import java.net.URISyntaxException;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * Credentials from configuration ({@code username} / {@code password}, a token goes in the
 * password) and a redactor so neither they nor a URL's user info ever reach a log or an error.
 */
final class GitAccess {

  private final String password;
  private final String userInfo;
  final CredentialsProvider credentials;

  GitAccess(TaskConfig cfg, String prefix, String uri) {
    String user = cfg.get(prefix + "username", "");
    this.password = cfg.get(prefix + "password", "");
    this.credentials = user.isEmpty() && password.isEmpty() ? null
        : new UsernamePasswordCredentialsProvider(user.isEmpty() ? "token" : user, password);
    String ui = null;
    if (uri != null) {
      try {
        ui = new URIish(uri).getPass() != null || new URIish(uri).getUser() != null ? rawUserInfo(uri) : null;
      } catch (URISyntaxException e) {
        ui = null;
      }
    }
    this.userInfo = ui;
  }

  private static String rawUserInfo(String uri) {
    int scheme = uri.indexOf("://");
    int at = uri.indexOf('@', scheme < 0 ? 0 : scheme + 3);
    int slash = uri.indexOf('/', scheme < 0 ? 0 : scheme + 3);
    return scheme >= 0 && at > 0 && (slash < 0 || at < slash) ? uri.substring(scheme + 3, at) : null;
  }

  /** @return text with the password and any URL user info replaced by {@code ***} */
  String redact(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    if (userInfo != null && !userInfo.isEmpty()) {
      out = out.replace(userInfo + "@", "***@");
      int colon = userInfo.indexOf(':');
      if (colon > 0) {
        out = out.replace(userInfo.substring(0, colon) + "@", "***@"); // JGit prints the user without the password
      }
    }
    if (!password.isEmpty()) {
      out = out.replace(password, "***");
    }
    return out;
  }
}
