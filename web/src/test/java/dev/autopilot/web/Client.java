package dev.autopilot.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** A JSON API client with its own cookie jar, as a browser session would have. */
final class Client {
  final URI base;
  final HttpClient http;
  String authorization;
  String csrf;

  Client(URI base) {
    this.base = base;
    this.http = HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(10)).build();
  }

  Client bearer(String token) {
    authorization = "Bearer " + token;
    return this;
  }

  Client basic(String user, String password) {
    authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return this;
  }

  /** GET api/session and keep its CSRF token. */
  Client session() {
    Response r = get("api/session");
    if (r.status != 200) {
      throw new AssertionError("api/session answered " + r.status + ": " + r.body);
    }
    csrf = r.json().get("csrf").asText();
    return this;
  }

  Response get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET(), null);
  }

  Response post(String path, String json, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
        .POST(HttpRequest.BodyPublishers.ofString(json == null ? "" : json)).header("Content-Type", "application/json");
    if (csrf != null) {
      b.header("X-Autopilot-Csrf", csrf);
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.setHeader(headers[i], headers[i + 1]);
    }
    return send(b, null);
  }

  /** POST an action as the dashboard's page does: same Origin, CSRF token. */
  Response action(String path) {
    return post(path, "{}", "Origin", base.getScheme() + "://" + base.getAuthority());
  }

  private Response send(HttpRequest.Builder b, Object unused) {
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    try {
      HttpResponse<String> r = http.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body(), r);
    } catch (IOException e) {
      throw new AssertionError("request failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
  }

  record Response(int status, String body, HttpResponse<String> raw) {
    JsonNode json() {
      try {
        return Json.MAPPER.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + body, e);
      }
    }
  }
}
