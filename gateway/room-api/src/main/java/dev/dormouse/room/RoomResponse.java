package dev.dormouse.room;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a room answers an HTTP request with ({@link Room#onRequest}), and what a {@link RoomStub}
 * call returns. The body is not copied: treat it as read-only.
 *
 * @param status the HTTP status, 100 to 599
 * @param headers response headers, names in lower case; hop-by-hop headers are not sent
 * @param body the response body
 */
public record RoomResponse(int status, Map<String, List<String>> headers, byte[] body) {

  private static final String TEXT = "text/plain; charset=utf-8";
  private static final String JSON = "application/json";

  public RoomResponse {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("HTTP status " + status + " is not 100 to 599");
    }
    headers = Map.copyOf(headers);
  }

  /** A UTF-8 text body. */
  public static RoomResponse text(int status, String body) {
    return bytes(status, TEXT, body.getBytes(StandardCharsets.UTF_8));
  }

  /** A JSON document, given as its text. */
  public static RoomResponse json(int status, String json) {
    return bytes(status, JSON, json.getBytes(StandardCharsets.UTF_8));
  }

  public static RoomResponse bytes(int status, String contentType, byte[] body) {
    return new RoomResponse(status, Map.of("content-type", List.of(contentType)), body);
  }

  /** No body. */
  public static RoomResponse empty(int status) {
    return new RoomResponse(status, Map.of(), new byte[0]);
  }

  /** The same response with one more header (its name lower-cased). */
  public RoomResponse withHeader(String name, String value) {
    Map<String, List<String>> more = new java.util.HashMap<>(headers);
    more.put(name.toLowerCase(Locale.ROOT), List.of(value));
    return new RoomResponse(status, more, body);
  }

  /** The body as UTF-8 text. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }
}
