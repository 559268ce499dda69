package dev.dormouse.publish;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * How a published body goes out, read from its {@code Content-Type}: a text frame for {@code text/*}
 * and {@code application/json} (UTF-8, the only charset WebSocket text has), a binary frame for
 * {@code application/octet-stream}.
 */
enum MessageBody {
  TEXT,
  BINARY;

  static final String ACCEPTED =
      "Content-Type must be text/* or application/json (UTF-8), or application/octet-stream";

  /** The kind for a {@code Content-Type} header ({@code null} when absent); empty when none fits. */
  static Optional<MessageBody> of(String contentType) {
    if (contentType == null) {
      return Optional.empty();
    }
    String[] parts = contentType.split(";");
    String type = parts[0].trim().toLowerCase(Locale.ROOT);
    if (type.equals("application/octet-stream")) {
      return Optional.of(BINARY);
    }
    if (!type.startsWith("text/") && !type.equals("application/json")) {
      return Optional.empty();
    }
    for (int i = 1; i < parts.length; i++) {
      String[] parameter = parts[i].trim().split("=", 2);
      if (parameter[0].trim().equalsIgnoreCase("charset")
          && (parameter.length < 2 || !isUtf8(parameter[1]))) {
        return Optional.empty();
      }
    }
    return Optional.of(TEXT);
  }

  private static boolean isUtf8(String charset) {
    String name = charset.trim().replace("\"", "");
    return name.equalsIgnoreCase("utf-8") || name.equalsIgnoreCase("utf8");
  }

  /** Whether the bytes can go out as this kind: a text frame must carry valid UTF-8 (RFC 6455 §8.1). */
  boolean accepts(byte[] body) {
    if (this == BINARY) {
      return true;
    }
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
