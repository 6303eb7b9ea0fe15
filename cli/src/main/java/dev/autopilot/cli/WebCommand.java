package dev.autopilot.cli;

import dev.autopilot.Autopilot;
import dev.autopilot.spi.Durations;
import dev.autopilot.web.AutopilotWeb;
import dev.autopilot.web.Role;
import dev.autopilot.web.WebAuth;
import dev.autopilot.web.WebServer;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Serves the dashboard against the database, attached: nothing runs in this JVM; run now,
 * pause, resume, retry and cancel go through the database to the running hosts. Sign-in secrets
 * come from the environment, never from the command line.
 */
@Command(name = "web", description = "serve the dashboard for this database until Ctrl-C (attached: nothing runs here)")
final class WebCommand extends BaseCommand {

  @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "TCP port (default 8080; 0 = any free)")
  int port;

  @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
      description = "address to listen on (default 127.0.0.1); any other needs sign-in")
  String bind;

  @Option(names = "--base-path", paramLabel = "PATH", defaultValue = "/", description = "path to serve under (default /)")
  String basePath;

  @Option(names = "--read-only", description = "refuse every action (run now, pause, resume, retry, cancel)")
  boolean readOnly;

  @Option(names = "--web-user", paramLabel = "NAME",
      description = "a dashboard user; password from $AUTOPILOT_WEB_PASSWORD")
  String webUser;

  @Option(names = "--web-user-role", paramLabel = "ROLE", defaultValue = "admin",
      description = "admin or read-only (default admin)")
  String webUserRole;

  @Option(names = "--duration", paramLabel = "D", description = "stop after this long (for example 10m); default: until Ctrl-C")
  String duration;

  @Override
  int execute() {
    WebAuth auth = auth();
    Duration stopAfter = duration == null ? null : parse(duration);
    if (!auth.required() && !loopback(bind)) {
      throw new UsageException("--bind " + bind + " is not a loopback address, so sign-in is required: set"
          + " AUTOPILOT_WEB_TOKEN (or AUTOPILOT_WEB_READ_TOKEN), or --web-user with AUTOPILOT_WEB_PASSWORD");
    }
    Autopilot autopilot = attach();
    WebServer web;
    try {
      web = AutopilotWeb.create(autopilot).port(port).bind(bind).basePath(basePath).auth(auth).readOnly(readOnly).start();
    } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
      autopilot.close();
      throw new UsageException(e.getMessage());
    }
    CountDownLatch stop = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stop.countDown();
      web.close();
      autopilot.close();
    }, "autopilot-web-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    ctx.out.println("dashboard at " + web.url() + (auth.required() ? " (sign-in required)" : " (loopback, no sign-in)")
        + (readOnly ? ", read-only" : "") + "; " + (stopAfter == null ? "Ctrl-C stops it" : "stops after " + duration));
    ctx.out.flush();
    try {
      if (stopAfter == null) {
        stop.await();
      } else {
        stop.await(stopAfter.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      return 0;
    }
    web.close();
    autopilot.close();
    return 0;
  }

  private WebAuth auth() {
    WebAuth auth = WebAuth.none();
    try {
      if (webUser != null) {
        String password = ctx.env.get("AUTOPILOT_WEB_PASSWORD");
        if (password == null || password.isEmpty()) {
          throw new UsageException("--web-user needs its password in AUTOPILOT_WEB_PASSWORD");
        }
        auth = auth.withUser(webUser, password, role(webUserRole));
      }
      String token = ctx.env.get("AUTOPILOT_WEB_TOKEN");
      if (token != null && !token.isEmpty()) {
        auth = auth.withToken("token", token, Role.ADMIN);
      }
      String readToken = ctx.env.get("AUTOPILOT_WEB_READ_TOKEN");
      if (readToken != null && !readToken.isEmpty()) {
        auth = auth.withToken("read-token", readToken, Role.READ_ONLY);
      }
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    return auth;
  }

  private static boolean loopback(String address) {
    try {
      return java.net.InetAddress.getByName(address).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      throw new UsageException("--bind: unknown address '" + address + "'");
    }
  }

  private static Role role(String r) {
    switch (r.toLowerCase(Locale.ROOT)) {
      case "admin":
        return Role.ADMIN;
      case "read-only":
      case "readonly":
        return Role.READ_ONLY;
      default:
        throw new UsageException("--web-user-role must be admin or read-only, was '" + r + "'");
    }
  }

  private static Duration parse(String d) {
    try {
      return Durations.parse("--duration", d);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
