package dev.dormouse.publish;

import io.undertow.server.HttpServerExchange;
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

  /** What becomes of the body. */
  interface Outcome {
    void whole(HttpServerExchange exchange, byte[] body);

    void tooBig(HttpServerExchange exchange);

    void failed(HttpServerExchange exchange, IOException error);
  }

  private LimitedBody() {}

  static void read(HttpServerExchange exchange, int limit, Outcome outcome) {
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
}
