package dev.dormouse.gateway;

import dev.dormouse.link.HttpStatus;
import dev.dormouse.link.Refusal;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.room.RequestSource;
import dev.dormouse.room.RoomKey;
import dev.dormouse.room.RoomRequest;
import dev.dormouse.room.RoomResponse;
import io.undertow.server.Connectors;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Undertow exchange as a room's {@code onRequest} sees it, and the room's answer written back:
 * shared by the client port's plain requests and the publish API's forwarded ones, so a room reads
 * both alike.
 */
public final class RoomExchanges {

  private static final Logger log = LoggerFactory.getLogger(RoomExchanges.class);

  private RoomExchanges() {}

  /**
   * @param path the path after the room key, as the room reads it
   * @param fullPath the path a client of the room's own route would have used
   * @param source the port it came in on: the room's only trustworthy sign of who sent it
   * @param withheld request headers (lower case) the room must not see, such as a credential meant
   *     for the gateway
   */
  public static RoomRequest request(
      HttpServerExchange exchange,
      String path,
      String fullPath,
      byte[] body,
      RequestSource source,
      String... withheld) {
    Map<String, List<String>> headers = RequestParts.headers(exchange);
    for (String name : withheld) {
      headers.remove(name);
    }
    return new RoomRequest(
        exchange.getRequestMethod().toString(),
        path,
        fullPath,
        RequestParts.query(exchange),
        headers,
        body,
        source);
  }

  /**
   * Runs {@code write} on the exchange's own I/O thread, as its root handler: for an answer that
   * completes on whatever thread finished its future (a link's event loop, Redis's, a timer), which
   * must neither write the exchange beside its I/O thread nor be held up by it.
   */
  public static void onIoThread(HttpServerExchange exchange, HttpHandler write) {
    exchange.getIoThread().execute(() -> Connectors.executeRootHandler(write, exchange));
  }

  /** {@link #answer} from any thread: on the exchange's I/O thread. */
  public static void answerLater(
      HttpServerExchange exchange, RoomKey key, RoomResponse response, Throwable error) {
    onIoThread(exchange, ex -> answer(ex, key, response, error));
  }

  /** Writes the room's answer, or 503 when the request failed on its way. */
  public static void answer(
      HttpServerExchange exchange, RoomKey key, RoomResponse response, Throwable error) {
    if (error != null) {
      log.error("request to {} failed", key, error);
      respond(exchange, RoomEvent.Request.refusal(Refusal.UNAVAILABLE));
      return;
    }
    try {
      respond(exchange, response);
    } catch (IllegalArgumentException e) {
      // A header name or value the room made up that HTTP cannot carry.
      exchange.getResponseHeaders().clear();
      respond(
          exchange,
          RoomResponse.text(
              HttpStatus.BAD_GATEWAY, "Room answered with an invalid header: " + e.getMessage()));
    }
  }

  static void respond(HttpServerExchange exchange, RoomResponse response) {
    exchange.setStatusCode(response.status());
    HopByHop.strip(response.headers())
        .forEach(
            (name, values) ->
                exchange.getResponseHeaders().putAll(HttpString.tryFromString(name), values));
    exchange.getResponseSender().send(ByteBuffer.wrap(response.body()));
  }
}
