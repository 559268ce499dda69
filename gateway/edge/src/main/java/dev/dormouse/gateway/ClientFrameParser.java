package dev.dormouse.gateway;

import dev.dormouse.link.CloseCodes;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * RFC 6455 §5 framing of what one client sends, fed incrementally with whatever bytes arrived:
 * unmasks, reassembles fragmented messages and checks every rule as soon as the bytes that break it
 * are in. A declared length over the room's limit is refused at the frame header, before any of
 * the payload is buffered, and a message is never held beyond that limit; buffers grow with the
 * bytes that actually arrive, so a header alone costs nothing. Knows nothing of sockets.
 */
final class ClientFrameParser {

  /** What the stream carried, in stream order. */
  interface Sink {
    /** @param size the message's length in bytes as sent */
    void text(String text, int size);

    void binary(byte[] payload);

    void ping(byte[] payload);

    void pong(byte[] payload);

    /** The client's close frame; {@code code} is 1005 when it carried none. Nothing after it is parsed. */
    void close(int code, String reason);
  }

  /** Why the stream is invalid: the close code to fail the connection with, and a reason for the client. */
  record Violation(int code, String reason) {}

  private static final int CONTINUATION = 0;
  private static final int TEXT = 1;
  private static final int BINARY = 2;
  private static final int CLOSE = 8;
  private static final int PING = 9;
  private static final int PONG = 10;
  private static final int MAX_CONTROL_PAYLOAD = 125;
  private static final int MASK_BYTES = 4;
  private static final int FIRST_CHUNK = 4096;
  private static final byte[] EMPTY = new byte[0];

  private final int maxMessageBytes;
  private final byte[] header = new byte[14];
  private int headerRead;
  private boolean inPayload;
  private boolean fin;
  private int opcode;
  private long remaining;
  private final byte[] mask = new byte[MASK_BYTES];
  private int maskIndex;

  /** Opcode of the data message being assembled, or -1 between messages. */
  private int messageOpcode = -1;

  private byte[] message = EMPTY;
  private int messageLength;
  private byte[] control = EMPTY;
  private int controlLength;
  private Violation violation;
  private boolean closeSeen;

  ClientFrameParser(int maxMessageBytes) {
    this.maxMessageBytes = maxMessageBytes;
  }

  /**
   * Consumes {@code in} up to the end, a violation or the client's close frame.
   *
   * @return the violation once the stream is invalid; the parser then takes nothing more
   */
  Optional<Violation> feed(ByteBuffer in, Sink sink) {
    while (violation == null && !closeSeen) {
      if (!inPayload) {
        if (!readHeader(in)) {
          break;
        }
        inPayload = true;
      }
      if (remaining > 0) {
        readPayload(in);
        if (remaining > 0) {
          break;
        }
      }
      inPayload = false;
      headerRead = 0;
      frameComplete(sink);
    }
    return Optional.ofNullable(violation);
  }

  /** Bytes of one message held right now: never more than the room's limit. */
  int bufferedBytes() {
    return message.length;
  }

  /** @return true once the whole header is in and valid */
  private boolean readHeader(ByteBuffer in) {
    while (in.hasRemaining()) {
      header[headerRead++] = in.get();
      if (headerRead == 1 && !firstByte()) {
        return false;
      }
      if (headerRead == 2 && !secondByte()) {
        return false;
      }
      int extended = extendedLengthBytes();
      if (headerRead == 2 + extended && headerRead > 1 && !length(extended)) {
        return false;
      }
      if (headerRead == 2 + extended + MASK_BYTES) {
        System.arraycopy(header, 2 + extended, mask, 0, MASK_BYTES);
        maskIndex = 0;
        return true;
      }
    }
    return false;
  }

  private boolean firstByte() {
    int b = header[0] & 0xff;
    fin = (b & 0x80) != 0;
    opcode = b & 0x0f;
    if ((b & 0x70) != 0) {
      return fail(CloseCodes.PROTOCOL_ERROR, "Reserved bits set without an extension");
    }
    switch (opcode) {
      case CONTINUATION -> {
        if (messageOpcode < 0) {
          return fail(
              CloseCodes.PROTOCOL_ERROR, "Continuation frame without a message to continue");
        }
      }
      case TEXT, BINARY -> {
        if (messageOpcode >= 0) {
          return fail(CloseCodes.PROTOCOL_ERROR, "New data frame inside a fragmented message");
        }
      }
      case CLOSE, PING, PONG -> {
        if (!fin) {
          return fail(CloseCodes.PROTOCOL_ERROR, "Fragmented control frame");
        }
      }
      default -> {
        return fail(CloseCodes.PROTOCOL_ERROR, "Unknown opcode " + opcode);
      }
    }
    return true;
  }

  private boolean secondByte() {
    int b = header[1] & 0xff;
    if ((b & 0x80) == 0) {
      return fail(CloseCodes.PROTOCOL_ERROR, "Client frames must be masked");
    }
    if (isControl() && (b & 0x7f) > MAX_CONTROL_PAYLOAD) {
      return fail(
          CloseCodes.PROTOCOL_ERROR,
          "Control frame payload over " + MAX_CONTROL_PAYLOAD + " bytes");
    }
    return true;
  }

  private int extendedLengthBytes() {
    if (headerRead < 2) {
      return 0;
    }
    int length7 = header[1] & 0x7f;
    return length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
  }

  private boolean length(int extended) {
    long length = header[1] & 0x7f;
    if (extended == 2) {
      length = ((header[2] & 0xff) << 8) | (header[3] & 0xff);
      if (length < 126) {
        return fail(CloseCodes.PROTOCOL_ERROR, "Frame length not in its shortest form");
      }
    } else if (extended == 8) {
      length = ByteBuffer.wrap(header, 2, 8).getLong();
      if (length < 0) {
        return fail(CloseCodes.PROTOCOL_ERROR, "Frame length with its most significant bit set");
      }
      if (length <= 0xffff) {
        return fail(CloseCodes.PROTOCOL_ERROR, "Frame length not in its shortest form");
      }
    }
    if (isControl()) {
      control = length == 0 ? EMPTY : new byte[(int) length];
      controlLength = 0;
    } else if (length > maxMessageBytes - (long) messageLength) {
      return fail(CloseCodes.MESSAGE_TOO_BIG, "Message larger than " + maxMessageBytes + " bytes");
    } else if (opcode != CONTINUATION) {
      messageOpcode = opcode;
    }
    remaining = length;
    return true;
  }

  private void readPayload(ByteBuffer in) {
    int n = (int) Math.min(remaining, in.remaining());
    byte[] target;
    int offset;
    if (isControl()) {
      target = control;
      offset = controlLength;
      controlLength += n;
    } else {
      grow(messageLength + n);
      target = message;
      offset = messageLength;
      messageLength += n;
    }
    in.get(target, offset, n);
    for (int i = offset; i < offset + n; i++) {
      target[i] ^= mask[maskIndex];
      maskIndex = (maskIndex + 1) & 3;
    }
    remaining -= n;
  }

  /** Doubles as bytes arrive, never past what this frame declared (itself within the limit). */
  private void grow(int needed) {
    if (needed <= message.length) {
      return;
    }
    long declared = messageLength + remaining;
    int capacity =
        (int) Math.min(declared, Math.max(needed, Math.max(FIRST_CHUNK, 2L * message.length)));
    byte[] grown = new byte[capacity];
    System.arraycopy(message, 0, grown, 0, messageLength);
    message = grown;
  }

  private void frameComplete(Sink sink) {
    switch (opcode) {
      case CLOSE -> closeFrame(sink);
      case PING -> sink.ping(control.clone());
      case PONG -> sink.pong(control.clone());
      default -> {
        if (fin) {
          dataMessage(sink);
        }
      }
    }
  }

  private void dataMessage(Sink sink) {
    byte[] payload =
        messageLength == message.length ? message : Arrays.copyOf(message, messageLength);
    int kind = messageOpcode;
    messageOpcode = -1;
    message = EMPTY;
    messageLength = 0;
    if (kind == BINARY) {
      sink.binary(payload);
      return;
    }
    Optional<String> text = utf8(payload);
    if (text.isEmpty()) {
      fail(CloseCodes.INVALID_PAYLOAD, "Invalid UTF-8 in text message");
    } else {
      sink.text(text.get(), payload.length);
    }
  }

  private void closeFrame(Sink sink) {
    if (controlLength == 0) {
      closeSeen = true;
      sink.close(CloseCodes.NO_STATUS, "");
      return;
    }
    if (controlLength == 1) {
      fail(CloseCodes.PROTOCOL_ERROR, "Close frame with a 1-byte payload");
      return;
    }
    int code = ((control[0] & 0xff) << 8) | (control[1] & 0xff);
    if (!validCloseCode(code)) {
      fail(CloseCodes.PROTOCOL_ERROR, "Invalid close code " + code);
      return;
    }
    Optional<String> reason = utf8(Arrays.copyOfRange(control, 2, controlLength));
    if (reason.isEmpty()) {
      fail(CloseCodes.INVALID_PAYLOAD, "Invalid UTF-8 in close reason");
      return;
    }
    closeSeen = true;
    sink.close(code, reason.get());
  }

  /** Codes a peer may send (RFC 6455 §7.4 and the IANA registry); 1004-1006 and 1015 never go on the wire. */
  static boolean validCloseCode(int code) {
    return (code >= 1000 && code <= 1003)
        || (code >= 1007 && code <= 1014)
        || (code >= 3000 && code <= 4999);
  }

  private static Optional<String> utf8(byte[] bytes) {
    try {
      return Optional.of(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  private boolean isControl() {
    return (opcode & 0x08) != 0;
  }

  private boolean fail(int code, String reason) {
    violation = new Violation(code, reason);
    message = EMPTY;
    return false;
  }
}
