package io.statejob.runtime.server;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.statejob.runtime.concurrent.DaemonThreads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of a runtime process, on the JDK's own server: routes by method and path pattern,
 * JSON and binary bodies, and the {@code /healthz}, {@code /readyz} and {@code /metrics} every
 * process has.
 */
public final class HttpEndpoints implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoints.class);
  public static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** Answers one request; an IllegalArgumentException is the client's fault (400). */
  @FunctionalInterface
  public interface Handler {
    Response handle(Request request) throws Exception;
  }

  /**
   * @param path the matched path, with the pattern's groups
   * @param query the query parameters
   * @param body the request body
   * @param authorization the {@code Authorization} header, or null
   */
  public record Request(
      Matcher path, Map<String, String> query, byte[] body, String authorization) {
    public long pathLong(int group) {
      return Long.parseLong(path.group(group));
    }

    public int pathInt(int group) {
      return Integer.parseInt(path.group(group));
    }

    public int queryInt(String name) {
      String value = query.get(name);
      if (value == null) {
        throw new IllegalArgumentException("query parameter " + name + " is missing");
      }
      return Integer.parseInt(value);
    }

    public <T> T json(Class<T> type) throws IOException {
      return JSON.readValue(body, type);
    }

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  public record Response(int status, String contentType, byte[] body) {
    public static Response json(Object value) throws IOException {
      return json(200, value);
    }

    public static Response json(int status, Object value) throws IOException {
      return new Response(status, "application/json", JSON.writeValueAsBytes(value));
    }

    public static Response text(int status, String text) {
      return new Response(
          status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    public static Response bytes(byte[] bytes) {
      return new Response(200, "application/octet-stream", bytes);
    }

    public static Response ok() {
      return text(200, "ok");
    }

    /** The request belongs to an attempt or worker this process no longer runs. */
    public static Response conflict(String why) {
      return text(409, why);
    }

    public static Response notFound(String why) {
      return text(404, why);
    }
  }

  private record Route(String method, Pattern path, Handler handler) {}

  private final List<Route> routes = new ArrayList<>();
  private final long maxBodyBytes;
  private final HttpServer server;
  private final ExecutorService executor;

  /**
   * Binds {@code port} (0: any free port); routes are added before {@link #start}.
   *
   * @param maxBodyBytes larger request bodies are refused (413)
   */
  public HttpEndpoints(int port, long maxBodyBytes, String threadName) throws IOException {
    this.maxBodyBytes = maxBodyBytes;
    this.server = HttpServer.create(new InetSocketAddress(port), 0);
    this.executor = DaemonThreads.cached(threadName);
    server.setExecutor(executor);
    server.createContext("/", this::dispatch);
  }

  /** {@code /healthz} (the process answers), {@code /readyz} and Prometheus {@code /metrics}. */
  public HttpEndpoints withProbes(BooleanSupplier ready, RuntimeMetrics metrics) {
    route("GET", "/healthz", request -> Response.ok());
    route(
        "GET",
        "/readyz",
        request -> ready.getAsBoolean() ? Response.ok() : Response.text(503, "not ready"));
    route(
        "GET",
        "/metrics",
        request ->
            new Response(
                200,
                "text/plain; version=0.0.4; charset=utf-8",
                metrics.scrape().getBytes(StandardCharsets.UTF_8)));
    return this;
  }

  /**
   * @param pathPattern a regular expression the whole path must match; its groups are the path's
   *     parameters
   */
  public HttpEndpoints route(String method, String pathPattern, Handler handler) {
    routes.add(new Route(method, Pattern.compile(pathPattern), handler));
    return this;
  }

  public HttpEndpoints start() {
    server.start();
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void dispatch(HttpExchange exchange) throws IOException {
    try {
      Response response;
      try {
        response = answer(exchange);
      } catch (IllegalArgumentException | IOException e) {
        response = Response.text(400, e.getMessage());
      } catch (Exception e) {
        LOG.atWarn()
            .addKeyValue("path", exchange.getRequestURI().getPath())
            .setCause(e)
            .log("request failed");
        response = Response.text(500, e.toString());
      }
      exchange.getResponseHeaders().set("Content-Type", response.contentType());
      exchange.sendResponseHeaders(
          response.status(), response.body().length == 0 ? -1 : response.body().length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(response.body());
      }
    } finally {
      exchange.close();
    }
  }

  private Response answer(HttpExchange exchange) throws Exception {
    String path = exchange.getRequestURI().getPath();
    boolean pathKnown = false;
    for (Route route : routes) {
      Matcher matcher = route.path().matcher(path);
      if (!matcher.matches()) {
        continue;
      }
      pathKnown = true;
      if (route.method().equals(exchange.getRequestMethod())) {
        byte[] body = readBody(exchange.getRequestBody());
        if (body == null) {
          return Response.text(413, "request body over " + maxBodyBytes + " bytes");
        }
        return route
            .handler()
            .handle(
                new Request(
                    matcher,
                    query(exchange.getRequestURI().getRawQuery()),
                    body,
                    exchange.getRequestHeaders().getFirst("Authorization")));
      }
    }
    return pathKnown
        ? Response.text(405, "method not allowed")
        : Response.notFound("no such endpoint: " + path);
  }

  /** The body, or null when it is over the limit. */
  private byte[] readBody(InputStream in) throws IOException {
    byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
    return body.length > maxBodyBytes ? null : body;
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> query = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return query;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      query.put(
          URLDecoder.decode(key, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return query;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
