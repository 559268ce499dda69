package dev.dormouse.gateway;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Frames what the gateway sends a client (RFC 6455 §5.2): always one final frame, never masked. */
final class ServerFrames {

  static final int TEXT = 1;
  static final int BINARY = 2;
  static final int CLOSE = 8;
  static final int PONG = 10;

  /** A close reason must fit a control frame beside its 2-byte code. */
  static final int MAX_REASON_BYTES = 123;

  private ServerFrames() {}

  /** The frame as a header and the payload, for one gathering write; the payload is not copied. */
  static ByteBuffer[] frame(int opcode, ByteBuffer payload) {
    int length = payload.remaining();
    ByteBuffer header;
    if (length < 126) {
      header = ByteBuffer.allocate(2).put((byte) (0x80 | opcode)).put((byte) length);
    } else if (length <= 0xffff) {
      header =
          ByteBuffer.allocate(4)
              .put((byte) (0x80 | opcode))
              .put((byte) 126)
              .putShort((short) length);
    } else {
      header = ByteBuffer.allocate(10).put((byte) (0x80 | opcode)).put((byte) 127).putLong(length);
    }
    return new ByteBuffer[] {header.flip(), payload};
  }

  /** A close frame with a code and a reason cut to what fits. */
  static ByteBuffer[] close(int code, String reason) {
    byte[] text = truncate(reason).getBytes(StandardCharsets.UTF_8);
    ByteBuffer payload =
        ByteBuffer.allocate(2 + text.length).putShort((short) code).put(text).flip();
    return frame(CLOSE, payload);
  }

  /** A close frame without a code: the answer to one that carried none. */
  static ByteBuffer[] emptyClose() {
    return frame(CLOSE, ByteBuffer.allocate(0));
  }

  static String truncate(String reason) {
    byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= MAX_REASON_BYTES) {
      return reason;
    }
    String cut = new String(bytes, 0, MAX_REASON_BYTES, StandardCharsets.UTF_8);
    // A multi-byte character split at the cut decodes to U+FFFD, which is 3 bytes: drop it.
    return cut.endsWith("\uFFFD") ? cut.substring(0, cut.length() - 1) : cut;
  }
}
