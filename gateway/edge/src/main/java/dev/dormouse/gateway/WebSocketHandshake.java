package dev.dormouse.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/** The server's side of the opening handshake of RFC 6455 §4.2. */
final class WebSocketHandshake {

  static final String VERSION = "13";
  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  private static final int KEY_BYTES = 16;

  /** 16 bytes in base64 with its padding. */
  private static final int KEY_LENGTH = 24;

  private WebSocketHandshake() {}

  /** A key is the base64 of exactly 16 bytes, given once. */
  static boolean validKey(List<String> values) {
    if (values == null || values.size() != 1 || values.get(0).trim().length() != KEY_LENGTH) {
      return false;
    }
    try {
      return Base64.getDecoder().decode(values.get(0).trim()).length == KEY_BYTES;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Whether a comma-separated header such as {@code Connection: keep-alive, Upgrade} holds the token. */
  static boolean hasToken(List<String> values, String token) {
    if (values == null) {
      return false;
    }
    return values.stream()
        .flatMap(v -> List.of(v.split(",")).stream())
        .anyMatch(t -> t.trim().toLowerCase(Locale.ROOT).equals(token));
  }

  /** {@code Sec-WebSocket-Accept}: the base64 SHA-1 of the key and the protocol's GUID. */
  static String accept(String key) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-1")
              .digest((key.trim() + GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-1", e);
    }
  }
}
