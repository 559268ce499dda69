package dev.dormouse.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Engine.IO v4 and Socket.IO v4 packets as the load client speaks them over the websocket
 * transport, where every packet is one WebSocket text frame: {@code 0{...}} the server's open,
 * {@code 40} the client's connect to the main namespace and {@code 40{...}} its answer, {@code 2}
 * a ping the client must answer with {@code 3}, and {@code 42["event",argument]} an event.
 */
final class SocketIoFraming {

  /** What one server frame is, as far as the load client cares. */
  enum Kind {
    OPEN,
    CONNECTED,
    CONNECT_ERROR,
    PING,
    EVENT,
    OTHER
  }

  static final byte[] CONNECT = {'4', '0'};
  static final byte[] PONG = {'3'};

  private SocketIoFraming() {}

  static Kind kind(ByteBuffer frame) {
    int at = frame.position();
    if (!frame.hasRemaining()) {
      return Kind.OTHER;
    }
    return switch (frame.get(at)) {
      case '0' -> Kind.OPEN;
      case '2' -> Kind.PING;
      case '4' -> {
        if (frame.remaining() < 2) {
          yield Kind.OTHER;
        }
        yield switch (frame.get(at + 1)) {
          case '0' -> Kind.CONNECTED;
          case '2' -> Kind.EVENT;
          case '4' -> Kind.CONNECT_ERROR;
          default -> Kind.OTHER;
        };
      }
      default -> Kind.OTHER;
    };
  }

  /**
   * The first argument of an event frame, as a view of {@code frame} without copying: a string's
   * characters between its quotes, escapes left as sent (the harness's texts have none), or any
   * other JSON value as it stands. A namespace ({@code 42/chat,[...]}) and an ack id
   * ({@code 4212[...]}) are skipped.
   *
   * @throws IllegalArgumentException when the frame is not an event with an argument
   */
  static ByteBuffer eventArgument(ByteBuffer frame) {
    int end = frame.limit();
    int i = frame.position() + 2;
    if (i < end && frame.get(i) == '/') {
      while (i < end && frame.get(i) != ',') {
        i++;
      }
      i++;
    }
    while (i < end && frame.get(i) >= '0' && frame.get(i) <= '9') {
      i++;
    }
    if (i >= end || frame.get(i) != '[' || i + 1 >= end || frame.get(i + 1) != '"') {
      throw malformed(frame);
    }
    i = afterString(frame, i + 1);
    if (i >= end || frame.get(i) != ',') {
      throw malformed(frame);
    }
    int start = i + 1;
    int close = end - 1;
    if (close <= start || frame.get(close) != ']') {
      throw malformed(frame);
    }
    if (frame.get(start) == '"') {
      int stringEnd = afterString(frame, start);
      return frame.duplicate().limit(stringEnd - 1).position(start + 1);
    }
    return frame.duplicate().limit(close).position(start);
  }

  /** The index after the JSON string whose opening quote is at {@code quote}. */
  private static int afterString(ByteBuffer frame, int quote) {
    for (int i = quote + 1; i < frame.limit(); i++) {
      byte b = frame.get(i);
      if (b == '\\') {
        i++;
      } else if (b == '"') {
        return i + 1;
      }
    }
    throw malformed(frame);
  }

  private static IllegalArgumentException malformed(ByteBuffer frame) {
    byte[] head = new byte[Math.min(frame.remaining(), 80)];
    frame.get(frame.position(), head);
    return new IllegalArgumentException(
        "not a Socket.IO event: " + new String(head, StandardCharsets.UTF_8));
  }

  /** {@code 42["name","text"]}, the text as a JSON string. */
  static byte[] event(String name, String text) {
    StringBuilder out = new StringBuilder(text.length() + name.length() + 10).append("42[");
    quote(out, name).append(',');
    return quote(out, text).append(']').toString().getBytes(StandardCharsets.UTF_8);
  }

  private static StringBuilder quote(StringBuilder out, String text) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"');
  }
}
