package dev.dormouse.publish;

import dev.dormouse.admin.Metrics;
import dev.dormouse.config.RoomCatalog;
import dev.dormouse.config.RoomSettings;
import dev.dormouse.gateway.InstanceNames;
import dev.dormouse.gateway.RoomRequests;
import dev.dormouse.room.RoomKey;
import dev.dormouse.store.ConnectionRecords;
import dev.dormouse.store.PublishStreams;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.StatusCodes;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publish API ({@code docs/publish.md}): an HTTP server of its own port, for backends, never the
 * clients' port. Every request must carry the bearer token; then {@code /v1/rooms/…} is routed to
 * one of the {@link PublishAction}s by the path's action segment.
 */
public final class PublishServer implements HttpHandler, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PublishServer.class);

  static final String CHALLENGE = "Bearer realm=\"dormouse-publish\"";
  static final String ROUTES =
      "Try POST /v1/rooms/{room}/messages, or /v1/rooms/{room}/{instance}/messages for a room with"
          + " instances; or any method to …/request/{path} for the room's onRequest";

  /** Threads reading connection records, each waiting on Redis at most its 5 s timeout. */
  private static final int WORKER_THREADS = 8;

  /** A request that sends nothing for this long is closed: backends send whole requests at once. */
  private static final int IDLE_MILLIS = 30_000;

  /**
   * @param namespace the namespace whose rooms the API addresses: the gateway's
   */
  public record Options(String host, int port, String namespace, PublishToken token) {}

  private final Options options;
  private final RoomCatalog catalog;
  private final PublishMetrics metrics;
  private final Map<String, PublishAction> actions;
  private final Undertow undertow;

  public PublishServer(
      Options options,
      RoomCatalog catalog,
      ConnectionRecords records,
      PublishStreams streams,
      RoomRequests requests,
      Metrics metrics) {
    this.options = options;
    this.catalog = catalog;
    this.metrics = new PublishMetrics(metrics);
    this.actions =
        Map.of(
            MessagesAction.NAME,
            new MessagesAction(new Publisher(records, streams), this.metrics),
            RequestAction.NAME,
            new RequestAction(requests));
    undertow =
        Undertow.builder()
            .addHttpListener(options.port(), options.host())
            // Backends' requests, not clients' traffic: a few threads of its own suffice.
            .setIoThreads(1)
            .setWorkerThreads(WORKER_THREADS)
            .setServerOption(UndertowOptions.ENABLE_HTTP2, false)
            .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, IDLE_MILLIS)
            .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, IDLE_MILLIS)
            .setHandler(this)
            .build();
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    exchange.addExchangeCompleteListener(
        (done, next) -> {
          if (done.getStatusCode() >= 400) {
            metrics.refused(done.getStatusCode());
          }
          next.proceed();
        });
    if (!options.token().admits(exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION))) {
      exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, CHALLENGE);
      PublishReplies.error(exchange, StatusCodes.UNAUTHORIZED, "A valid bearer token is required");
      return;
    }
    String path = exchange.getRequestPath();
    Optional<String> roomName = PublishRoute.roomOf(path);
    if (roomName.isEmpty()) {
      PublishReplies.error(exchange, StatusCodes.NOT_FOUND, ROUTES);
      return;
    }
    Optional<RoomSettings> room = catalog.find(options.namespace(), roomName.get());
    if (room.isEmpty()) {
      PublishReplies.error(
          exchange, StatusCodes.NOT_FOUND, "No room named '" + roomName.get() + "'");
      return;
    }
    Optional<PublishRoute> route = PublishRoute.parse(path, room.get().instances());
    Optional<PublishAction> action = route.map(r -> actions.get(r.action()));
    if (action.isEmpty()) {
      PublishReplies.error(exchange, StatusCodes.NOT_FOUND, ROUTES);
      return;
    }
    if (room.get().instances() && !InstanceNames.valid(route.get().instance())) {
      PublishReplies.error(exchange, StatusCodes.NOT_FOUND, InstanceNames.RULE);
      return;
    }
    if (!action.get().methods().contains(exchange.getRequestMethod())) {
      exchange
          .getResponseHeaders()
          .put(
              Headers.ALLOW,
              action.get().methods().stream()
                  .map(HttpString::toString)
                  .sorted()
                  .collect(Collectors.joining(", ")));
      PublishReplies.error(
          exchange,
          StatusCodes.METHOD_NOT_ALLOWED,
          exchange.getRequestMethod() + " is not allowed here");
      return;
    }
    RoomKey key = new RoomKey(options.namespace(), room.get().name(), route.get().instance());
    action.get().handle(exchange, room.get(), key, route.get().rest());
  }

  public PublishServer start() {
    undertow.start();
    log.info("publish API on {}", address());
    return this;
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
  }

  @Override
  public void close() {
    undertow.stop();
  }
}
