package dev.dormouse.operator.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.dormouse.crd.v1alpha1.WebSocketRoom;
import dev.dormouse.operator.OperatorConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The operator's summary of every room it reconciles, on its health port: {@code GET /api/rooms}
 * (JSON) and {@code GET /} (the page that polls it, from the jar). Off unless an admin token is
 * configured; with one, the API asks for it as a bearer token. The page itself holds no data and
 * is served without it; it sends the token with each request. Everything is answered from memory,
 * so the health port's threads never wait here.
 */
public final class AdminApi implements HttpHandler, AutoCloseable {

  static final String ROOMS = "/api/rooms";
  static final String PAGE = "/";

  static final String OFF =
      "the admin page and API are off: set "
          + OperatorConfig.ADMIN_TOKEN
          + " or "
          + OperatorConfig.ADMIN_TOKEN
          + "_FILE (at least "
          + AdminToken.MIN_BYTES
          + " bytes) to turn them on";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Comparator<RoomSummary> ORDER =
      Comparator.comparing(RoomSummary::namespace).thenComparing(RoomSummary::name);

  private final Optional<AdminToken> token;
  private final Supplier<Optional<List<WebSocketRoom>>> rooms;
  private final Runnable stop;
  private final byte[] page;

  private AdminApi(
      Optional<AdminToken> token, Supplier<Optional<List<WebSocketRoom>>> rooms, Runnable stop) {
    this.token = token;
    this.rooms = rooms;
    this.stop = stop;
    this.page = token.isPresent() ? pageFromJar() : new byte[0];
  }

  /** Off when the config has no admin token; else watching the rooms the operator serves. */
  public static AdminApi of(OperatorConfig config, KubernetesClient client) {
    if (config.adminToken().isEmpty()) {
      return new AdminApi(Optional.empty(), Optional::empty, () -> {});
    }
    WatchedRooms watched = WatchedRooms.start(client, config.watchNamespaces());
    return new AdminApi(config.adminToken(), watched::rooms, watched::close);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (token.isEmpty()) {
        error(exchange, 404, OFF);
        return;
      }
      String path = exchange.getRequestURI().getPath();
      if (!path.equals(ROOMS) && !path.equals(PAGE)) {
        error(exchange, 404, "no such path: " + path + " (the API is " + ROOMS + ")");
        return;
      }
      if (!exchange.getRequestMethod().equals("GET")) {
        exchange.getResponseHeaders().set("Allow", "GET");
        error(exchange, 405, exchange.getRequestMethod() + " is not allowed here; use GET");
        return;
      }
      if (path.equals(PAGE)) {
        exchange
            .getResponseHeaders()
            .set(
                "Content-Security-Policy",
                "default-src 'self'; "
                    + "script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'");
        respond(exchange, 200, "text/html; charset=utf-8", page);
        return;
      }
      if (!token.get().admits(exchange.getRequestHeaders().getFirst("Authorization"))) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
        error(exchange, 401, "a valid admin token is needed: Authorization: Bearer TOKEN");
        return;
      }
      Optional<List<WebSocketRoom>> listed = rooms.get();
      if (listed.isEmpty()) {
        exchange.getResponseHeaders().set("Retry-After", "1");
        error(exchange, 503, "the rooms are still being listed; try again in a moment");
        return;
      }
      List<RoomSummary> summaries =
          listed.get().stream().map(RoomSummary::of).sorted(ORDER).toList();
      json(exchange, 200, Map.of("rooms", summaries));
    }
  }

  private static void error(HttpExchange exchange, int status, String message) throws IOException {
    json(exchange, status, Map.of("error", message));
  }

  private static void json(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    respond(exchange, status, "application/json", bytes);
  }

  private static void respond(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static byte[] pageFromJar() {
    try (InputStream in = AdminApi.class.getResourceAsStream("rooms.html")) {
      if (in == null) {
        throw new IllegalStateException("rooms.html is missing from the operator's jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    stop.run();
  }
}
