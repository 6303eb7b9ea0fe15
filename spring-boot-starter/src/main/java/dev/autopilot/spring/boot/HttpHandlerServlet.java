package dev.autopilot.spring.boot;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpPrincipal;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Serves a JDK {@link HttpHandler} (such as the Autopilot dashboard's) from the application's
 * servlet container, so it sits behind the application's own filters and security. The handler
 * sees the request URI as sent (context path included), the authenticated user as {@link
 * HttpExchange#getPrincipal()}, and writes its status, headers and body to the servlet response.
 */
public class HttpHandlerServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  private final transient HttpHandler handler;

  /**
   * @param handler the handler every request under the servlet's mapping goes to
   */
  public HttpHandlerServlet(HttpHandler handler) {
    this.handler = Objects.requireNonNull(handler, "handler");
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    try (Exchange ex = new Exchange(req, resp)) {
      handler.handle(ex);
    }
  }

  /** One request and response seen as an {@link HttpExchange}. */
  private static final class Exchange extends HttpExchange {
    private final HttpServletRequest req;
    private final HttpServletResponse resp;
    private final Headers requestHeaders = new Headers();
    private final Headers responseHeaders = new Headers();
    private final Map<String, Object> attributes = new HashMap<>();
    private InputStream in;
    private OutputStream out;
    private int status = -1;

    Exchange(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      this.req = req;
      this.resp = resp;
      for (String name : Collections.list(req.getHeaderNames())) {
        requestHeaders.put(name, Collections.list(req.getHeaders(name)));
      }
      this.in = req.getInputStream();
    }

    @Override
    public Headers getRequestHeaders() {
      return requestHeaders;
    }

    @Override
    public Headers getResponseHeaders() {
      return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
      String q = req.getQueryString();
      try {
        return new URI(req.getRequestURI() + (q == null ? "" : "?" + q));
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("request URI is not valid: " + e.getMessage(), e);
      }
    }

    @Override
    public String getRequestMethod() {
      return req.getMethod();
    }

    @Override
    public HttpContext getHttpContext() {
      return null;
    }

    @Override
    public void close() {
      try {
        if (status < 0) {
          sendResponseHeaders(500, -1);
        }
        getResponseBody().close();
      } catch (IOException e) {
        // the client went away; nothing to tell it
      }
    }

    @Override
    public InputStream getRequestBody() {
      return in;
    }

    @Override
    public OutputStream getResponseBody() {
      if (out == null) {
        try {
          out = resp.getOutputStream();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
      return out;
    }

    @Override
    public void sendResponseHeaders(int code, long length) throws IOException {
      if (status >= 0) {
        throw new IOException("response headers already sent");
      }
      status = code;
      resp.setStatus(code);
      for (Map.Entry<String, List<String>> h : responseHeaders.entrySet()) {
        for (String v : h.getValue()) {
          resp.addHeader(h.getKey(), v);
        }
      }
      if (length > 0) {
        resp.setContentLengthLong(length);
      } else if (length < 0) {
        resp.setContentLength(0);
      }
      resp.flushBuffer();
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
      return new InetSocketAddress(req.getRemoteAddr(), req.getRemotePort());
    }

    @Override
    public int getResponseCode() {
      return status;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
      return new InetSocketAddress(req.getLocalAddr(), req.getLocalPort());
    }

    @Override
    public String getProtocol() {
      return req.getProtocol();
    }

    @Override
    public Object getAttribute(String name) {
      return attributes.get(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
      attributes.put(name, value);
    }

    @Override
    public void setStreams(InputStream i, OutputStream o) {
      if (i != null) {
        in = i;
      }
      if (o != null) {
        out = o;
      }
    }

    @Override
    public HttpPrincipal getPrincipal() {
      return req.getUserPrincipal() == null ? null : new HttpPrincipal(req.getUserPrincipal().getName(), "spring");
    }
  }
}
