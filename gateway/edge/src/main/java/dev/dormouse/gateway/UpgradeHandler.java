package dev.dormouse.gateway;

import dev.dormouse.admin.Metrics;
import dev.dormouse.config.RoomCatalog;
import dev.dormouse.config.RoomSettings;
import dev.dormouse.crd.v1alpha1.Auth;
import dev.dormouse.link.ConnectOutcome;
import dev.dormouse.link.HttpStatus;
import dev.dormouse.link.Refusal;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.link.RoomEventSink;
import dev.dormouse.room.ConnectRequest;
import dev.dormouse.room.RoomKey;
import dev.dormouse.store.AutoResponseTimes;
import io.undertow.server.Connectors;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.SameThreadExecutor;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;

/**
 * Takes an upgrade request through every check of SPEC §3 (each failure a status with a short text
 * body), asks the room whether it accepts the socket, and only then completes the RFC 6455 handshake
 * and takes the raw connection over ({@link ClientSocket}). Checks that need no I/O run on the I/O
 * thread; the token check reads a secret file, so it runs on a worker.
 */
final class UpgradeHandler implements HttpHandler {

  private static final Logger log = LoggerFactory.getLogger(UpgradeHandler.class);
  private static final String RETRY_AFTER_SECONDS = "1";

  private final String namespace;
  private final String defaultRoom;
  private final RoomCatalog catalog;
  private final RoomEventSink events;
  private final ClientConnections connections;
  private final AutoResponseTimes autoResponses;
  private final TokenVerifier tokens;
  private final Metrics metrics;
  private final Supplier<Optional<Refusal>> notTaking;
  private final HttpHandler index;

  /** Plain HTTP into rooms: a non-upgrade request under {@code /rooms/{room}}. */
  private final HttpHandler httpRooms;

  private final EdgeSettings edge;

  /** Upgrades the rooms have not answered yet; capped, as each holds a request and a pending connection. */
  private final AtomicInteger pending = new AtomicInteger();

  UpgradeHandler(
      String namespace,
      String defaultRoom,
      RoomCatalog catalog,
      RoomEventSink events,
      ClientConnections connections,
      AutoResponseTimes autoResponses,
      TokenVerifier tokens,
      Metrics metrics,
      Supplier<Optional<Refusal>> notTaking,
      HttpHandler index,
      HttpHandler httpRooms,
      EdgeSettings edge) {
    this.namespace = namespace;
    this.defaultRoom = defaultRoom;
    this.catalog = catalog;
    this.events = events;
    this.connections = connections;
    this.autoResponses = autoResponses;
    this.tokens = tokens;
    this.metrics = metrics;
    this.notTaking = notTaking;
    this.index = index;
    this.httpRooms = httpRooms;
    this.edge = edge;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    boolean upgrade =
        WebSocketHandshake.hasToken(exchange.getRequestHeaders().get(Headers.UPGRADE), "websocket");
    if (!upgrade && HttpRoute.room(exchange.getRequestPath()).isPresent()) {
      httpRooms.handleRequest(exchange);
      return;
    }
    if (declaresBody(exchange)) {
      // Nothing here reads a request body; waiting for one would let a client that declares one and
      // never sends it hold the connection (and a room's place) with no timeout to end it.
      exchange.setPersistent(false);
      if (upgrade) {
        respond(
            exchange,
            HttpStatus.BAD_REQUEST,
            "Bad WebSocket handshake: an upgrade request has no body");
        return;
      }
    }
    Optional<Route> found = Route.parse(exchange.getRequestPath(), defaultRoom);
    if (found.isEmpty()) {
      if (upgrade) {
        respond(
            exchange,
            HttpStatus.NOT_FOUND,
            "No WebSocket endpoint at " + exchange.getRequestPath());
      } else {
        index.handleRequest(exchange);
      }
      return;
    }
    Route route = found.get();
    if (!upgrade) {
      respond(exchange, HttpStatus.UPGRADE_REQUIRED, "Expected Upgrade: websocket");
      return;
    }
    if (!exchange.getPathParameters().isEmpty()) {
      // Undertow strips ";name=value" from the path: the same instance must not answer to two
      // names.
      respond(exchange, HttpStatus.NOT_FOUND, Route.INSTANCE_RULE);
      return;
    }
    if (exchange.isHttp09() || exchange.isHttp10()) {
      respond(
          exchange, HttpStatus.BAD_REQUEST, "Bad WebSocket handshake: HTTP/1.1 or later required");
      return;
    }
    if (!exchange.getRequestMethod().equals(Methods.GET)) {
      respond(exchange, HttpStatus.BAD_REQUEST, "Expected GET for a WebSocket upgrade");
      return;
    }
    if (!WebSocketHandshake.hasToken(
        exchange.getRequestHeaders().get(Headers.CONNECTION), "upgrade")) {
      respond(
          exchange, HttpStatus.BAD_REQUEST, "Bad WebSocket handshake: Connection: Upgrade missing");
      return;
    }
    if (!WebSocketHandshake.validKey(
        exchange.getRequestHeaders().get(Headers.SEC_WEB_SOCKET_KEY))) {
      respond(
          exchange,
          HttpStatus.BAD_REQUEST,
          "Bad WebSocket handshake: Sec-WebSocket-Key must be the base64 of 16 bytes");
      return;
    }
    HeaderValues versions = exchange.getRequestHeaders().get(Headers.SEC_WEB_SOCKET_VERSION);
    if (versions == null
        || versions.size() != 1
        || !WebSocketHandshake.VERSION.equals(versions.getFirst())) {
      exchange.getResponseHeaders().put(Headers.SEC_WEB_SOCKET_VERSION, WebSocketHandshake.VERSION);
      respond(
          exchange,
          HttpStatus.UPGRADE_REQUIRED,
          "Unsupported WebSocket version: only 13 is spoken");
      return;
    }
    Optional<RoomSettings> room =
        route.room().isEmpty() ? Optional.empty() : catalog.find(namespace, route.room());
    if (room.isEmpty()) {
      respond(exchange, HttpStatus.NOT_FOUND, "No room named '" + route.room() + "'");
      return;
    }
    RoomSettings settings = room.get();
    if (route.instance().isPresent() && !settings.instances()) {
      respond(exchange, HttpStatus.NOT_FOUND, "Room '" + settings.name() + "' has no instances");
      return;
    }
    if (!route.validInstance()) {
      respond(exchange, HttpStatus.NOT_FOUND, Route.INSTANCE_RULE);
      return;
    }
    String origin = exchange.getRequestHeaders().getFirst(Headers.ORIGIN);
    if (origin != null
        && !settings.allowedOrigins().isEmpty()
        && !settings.allowedOrigins().contains(origin)) {
      respond(exchange, HttpStatus.FORBIDDEN, "Origin not allowed");
      return;
    }
    Optional<Refusal> refused = notTaking.get();
    if (refused.isPresent()) {
      respondRetry(exchange, refused.get().reason());
      return;
    }
    if (pending.incrementAndGet() > edge.maxPendingUpgrades()) {
      pending.decrementAndGet();
      respondRetry(exchange, "Too many WebSocket upgrades in progress, try again");
      return;
    }
    RoomKey key = new RoomKey(settings.namespace(), settings.name(), route.instance().orElse(""));
    if (settings.auth().isPresent()) {
      Auth auth = settings.auth().get();
      exchange.dispatch(
          exchange.getConnection().getWorker(),
          () -> authenticateThenConnect(exchange, key, settings, auth));
    } else {
      exchange.dispatch(
          SameThreadExecutor.INSTANCE, () -> connect(exchange, key, settings, Map.of()));
    }
  }

  private static boolean declaresBody(HttpServerExchange exchange) {
    String length = exchange.getRequestHeaders().getFirst(Headers.CONTENT_LENGTH);
    return exchange.getRequestHeaders().contains(Headers.TRANSFER_ENCODING)
        || (length != null && !length.trim().equals("0"));
  }

  private void authenticateThenConnect(
      HttpServerExchange exchange, RoomKey key, RoomSettings settings, Auth auth) {
    String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
    String token =
        header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
            ? header.substring(7).trim()
            : Optional.ofNullable(exchange.getQueryParameters().get(auth.getQueryParameter()))
                .map(values -> values.peekFirst())
                .orElse(null);
    try {
      Map<String, Object> claims = tokens.verify(token, auth, System.currentTimeMillis() / 1000);
      connect(exchange, key, settings, claims);
    } catch (TokenVerifier.InvalidTokenException e) {
      pending.decrementAndGet();
      exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer");
      continueWith(
          exchange, ex -> respond(ex, HttpStatus.UNAUTHORIZED, "Unauthorized: " + e.getMessage()));
    }
  }

  private void connect(
      HttpServerExchange exchange, RoomKey key, RoomSettings settings, Map<String, Object> claims) {
    ClientConnection connection = connections.open(key, settings, events, exchange.getIoThread());
    CompletableFuture<ConnectOutcome> outcome = new CompletableFuture<>();
    outcome.whenComplete(
        (result, error) -> continueWith(exchange, ex -> decided(ex, connection, result, error)));
    events.offer(
        new RoomEvent.Connect(
            key, connections.gatewayId(), connection.id(), request(exchange, claims), outcome));
  }

  private void decided(
      HttpServerExchange exchange,
      ClientConnection connection,
      ConnectOutcome outcome,
      Throwable error) {
    pending.decrementAndGet();
    if (error != null || !outcome.accepted()) {
      connections.remove(connection);
      if (error != null) {
        log.error("connect to {} failed", connection.key(), error);
        respondRetry(exchange, Refusal.UNAVAILABLE.reason());
      } else if (outcome.status() == HttpStatus.SERVICE_UNAVAILABLE) {
        respondRetry(exchange, outcome.body());
      } else {
        respond(exchange, outcome.status(), outcome.body());
      }
      return;
    }
    if (!exchange.getConnection().isOpen()) {
      abandon(connection);
      return;
    }
    connections.autoResponder().roomSet(connection.key(), outcome.autoResponse());
    upgrade(exchange, connection);
  }

  /**
   * Sends 101 and takes the raw connection over. Should the connection die before the upgrade
   * completes, the room still learns that the socket it accepted is gone.
   */
  private void upgrade(HttpServerExchange exchange, ClientConnection connection) {
    AtomicBoolean settled = new AtomicBoolean();
    exchange
        .getConnection()
        .addCloseListener(
            closed -> {
              if (settled.compareAndSet(false, true)) {
                abandon(connection);
              }
            });
    String key = exchange.getRequestHeaders().getFirst(Headers.SEC_WEB_SOCKET_KEY);
    exchange.getResponseHeaders().put(Headers.UPGRADE, "websocket");
    exchange
        .getResponseHeaders()
        .put(Headers.SEC_WEB_SOCKET_ACCEPT, WebSocketHandshake.accept(key));
    exchange.upgradeChannel(
        (stream, upgraded) -> {
          if (settled.compareAndSet(false, true)) {
            opened(stream, upgraded, connection);
          } else {
            IoUtils.safeClose(stream);
          }
        });
    exchange.endExchange();
  }

  /** Continues the exchange on its I/O thread, as Undertow requires after an async wait. */
  private static void continueWith(HttpServerExchange exchange, HttpHandler next) {
    exchange.getIoThread().execute(() -> Connectors.executeRootHandler(next, exchange));
  }

  private void opened(
      StreamConnection stream, HttpServerExchange exchange, ClientConnection connection) {
    ClientSocket socket =
        new ClientSocket(
            stream,
            exchange.getConnection().getByteBufferPool(),
            connection.settings().maxMessageBytes(),
            connections.outboundLimitBytes(),
            edge.closeTimeout());
    socket.start(new ClientListener(connection, connections, events, autoResponses, metrics));
    connection.attach(socket);
  }

  private void abandon(ClientConnection connection) {
    if (connection.markCloseReported()) {
      events.offer(ClientConnections.lost(connection, connections.gatewayId()));
    }
    connections.remove(connection);
  }

  private ConnectRequest request(HttpServerExchange exchange, Map<String, Object> claims) {
    return new ConnectRequest(
        exchange.getRequestPath(),
        RequestParts.query(exchange),
        RequestParts.headers(exchange),
        exchange.getSourceAddress() == null ? "" : exchange.getSourceAddress().toString(),
        claims);
  }

  private static void respondRetry(HttpServerExchange exchange, String body) {
    exchange.getResponseHeaders().put(HttpString.tryFromString("Retry-After"), RETRY_AFTER_SECONDS);
    respond(exchange, HttpStatus.SERVICE_UNAVAILABLE, body);
  }

  static void respond(HttpServerExchange exchange, int status, String body) {
    exchange.setStatusCode(status);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
    exchange.getResponseSender().send(body);
  }
}
