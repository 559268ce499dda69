package dev.dormouse.gateway;

import dev.dormouse.config.RoomCatalog;
import dev.dormouse.config.RoomSettings;
import dev.dormouse.link.HttpStatus;
import dev.dormouse.link.Refusal;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.room.RequestSource;
import dev.dormouse.room.RoomKey;
import dev.dormouse.room.RoomRequest;
import dev.dormouse.room.RoomResponse;
import io.undertow.io.Receiver;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;

/**
 * A plain (non-upgrade) HTTP request under {@code /rooms/}: read without blocking (Undertow's async
 * receiver, on the I/O thread, capped at the room's maxMessageBytes — a declared length over it is
 * refused before a byte is read, a chunked body once it grows past it), handed to the room's {@code
 * onRequest} through {@link RoomRequests}, and answered with what the room returned.
 */
final class HttpRoomHandler implements HttpHandler {

  private static final Logger log = LoggerFactory.getLogger(HttpRoomHandler.class);

  private final String namespace;
  private final RoomCatalog catalog;
  private final RoomRequests requests;
  private final Supplier<Optional<Refusal>> notTaking;

  /** How long the whole body may take to arrive: a client that stops sending holds no connection. */
  private final Duration bodyTimeout;

  HttpRoomHandler(
      String namespace,
      RoomCatalog catalog,
      RoomRequests requests,
      Supplier<Optional<Refusal>> notTaking,
      Duration bodyTimeout) {
    this.namespace = namespace;
    this.catalog = catalog;
    this.requests = requests;
    this.notTaking = notTaking;
    this.bodyTimeout = bodyTimeout;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    String fullPath = exchange.getRequestPath();
    Optional<String> room = HttpRoute.room(fullPath);
    Optional<RoomSettings> found = room.flatMap(name -> catalog.find(namespace, name));
    if (found.isEmpty()) {
      refuse(exchange, RoomRequests.noSuchRoom(room.orElse("")));
      return;
    }
    RoomSettings settings = found.get();
    if (!exchange.getPathParameters().isEmpty()) {
      // Undertow strips ";name=value" from the path: the same instance must not answer to two
      // names.
      refuse(exchange, RoomResponse.text(HttpStatus.NOT_FOUND, Route.INSTANCE_RULE));
      return;
    }
    Optional<Refusal> refused = notTaking.get();
    if (refused.isPresent()) {
      refuse(exchange, RoomEvent.Request.refusal(refused.get()));
      return;
    }
    if (declaredLength(exchange) > settings.maxMessageBytes()) {
      refuse(exchange, RoomRequests.tooLarge(settings));
      return;
    }
    Optional<HttpRoute> parsed = HttpRoute.of(fullPath, settings.name(), settings.instances());
    if (parsed.isEmpty()) {
      refuse(exchange, RoomResponse.text(HttpStatus.NOT_FOUND, Route.INSTANCE_RULE));
      return;
    }
    HttpRoute route = parsed.get();
    RoomKey key = new RoomKey(settings.namespace(), settings.name(), route.instance());
    XnioExecutor.Key slowBody =
        exchange
            .getIoThread()
            .executeAfter(
                () -> {
                  log.debug("request body to {} not read within {}: closing", key, bodyTimeout);
                  IoUtils.safeClose(exchange.getConnection());
                },
                bodyTimeout.toMillis(),
                TimeUnit.MILLISECONDS);
    Receiver receiver = exchange.getRequestReceiver();
    receiver.setMaxBufferSize(settings.maxMessageBytes());
    receiver.receiveFullBytes(
        (ex, body) -> {
          slowBody.remove();
          forward(ex, key, route, body);
        },
        (ex, error) -> {
          slowBody.remove();
          if (error instanceof Receiver.RequestToLargeException) {
            refuse(ex, RoomRequests.tooLarge(settings));
          } else {
            log.debug("request body to {} not read: {}", key, error.toString());
            ex.setPersistent(false);
            ex.endExchange();
          }
        });
  }

  /** The Content-Length the client declared; -1 for none (chunked, or no body). */
  private static long declaredLength(HttpServerExchange exchange) {
    String length = exchange.getRequestHeaders().getFirst(Headers.CONTENT_LENGTH);
    try {
      return length == null ? -1 : Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  private void forward(HttpServerExchange exchange, RoomKey key, HttpRoute route, byte[] body) {
    RoomRequest request =
        RoomExchanges.request(
            exchange, route.path(), exchange.getRequestPath(), body, RequestSource.CLIENT);
    exchange.dispatch(
        SameThreadExecutor.INSTANCE,
        () ->
            requests
                .send(key, request)
                .whenComplete(
                    (response, error) ->
                        RoomExchanges.answerLater(exchange, key, response, error)));
  }

  /** Answers without having read the body: the connection cannot be reused for another request. */
  private static void refuse(HttpServerExchange exchange, RoomResponse response) {
    exchange.setPersistent(false);
    RoomExchanges.respond(exchange, response);
  }
}
