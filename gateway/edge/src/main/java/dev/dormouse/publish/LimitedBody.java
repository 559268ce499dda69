package dev.dormouse.publish;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Reads a request body of at most {@code limit} bytes without blocking. Past the limit it reads on to
 * the body's end, keeping nothing, before the body is refused: a server that answers and closes with
 * the client still sending resets the connection, and the client may never see the answer (413).
 * Only a body more than {@link #DRAIN_BYTES} over the limit is cut short.
 */
final class LimitedBody {

  /** What is read and thrown away past the limit, at most, so that the refusal is heard. */
  static final long DRAIN_BYTES = 16L << 20;

  /** What is done with a body within the limit. */
  interface Whole {
    void received(HttpServerExchange exchange, byte[] body);
  }

  private LimitedBody() {}

  /**
   * @param what what the body is, as the 413 names it ({@code "message"}, {@code "body"})
   */
  static void read(HttpServerExchange exchange, int limit, String what, Whole whole) {
    Outcome outcome = new Outcome(limit, what, whole);
    if (exchange.getRequestContentLength() > limit + DRAIN_BYTES) {
      exchange.setPersistent(false);
      outcome.tooBig(exchange);
      return;
    }
    exchange.setMaxEntitySize(limit + DRAIN_BYTES);
    ByteArrayOutputStream kept = new ByteArrayOutputStream();
    long[] read = {0};
    exchange
        .getRequestReceiver()
        .receivePartialBytes(
            (received, part, last) -> {
              read[0] += part.length;
              if (read[0] <= limit) {
                kept.writeBytes(part);
              }
              if (last) {
                if (read[0] <= limit) {
                  outcome.whole(received, kept.toByteArray());
                } else {
                  outcome.tooBig(received);
                }
              }
            },
            (received, error) -> {
              if (read[0] > limit) {
                outcome.tooBig(received);
              } else {
                outcome.failed(received, error);
              }
            });
  }

  /** The body whole, or refused: 413 past the limit, 400 when it could not be read. */
  private record Outcome(int limit, String what, Whole whole) {

    void whole(HttpServerExchange exchange, byte[] body) {
      whole.received(exchange, body);
    }

    void tooBig(HttpServerExchange exchange) {
      PublishReplies.error(
          exchange,
          StatusCodes.REQUEST_ENTITY_TOO_LARGE,
          "The " + what + " is larger than the room's limit of " + limit + " bytes");
    }

    void failed(HttpServerExchange exchange, IOException error) {
      PublishReplies.error(exchange, StatusCodes.BAD_REQUEST, "Could not read the body: " + error);
    }
  }
}
