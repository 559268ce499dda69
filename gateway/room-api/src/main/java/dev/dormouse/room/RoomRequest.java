package dev.dormouse.room;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A plain HTTP request into a room instance (the Durable Object's {@code fetch}): a client's request
 * to {@code /rooms/{room}[/{instance}]/{path…}}, or another room's call through {@link RoomStub}.
 * The body is the caller's array, not copied: treat it as read-only.
 *
 * @param method the HTTP method, upper case as sent ({@code GET}, {@code POST}, …)
 * @param path the part of the path after the room key, starting with {@code /} ({@code /} for none)
 * @param fullPath the whole request path, e.g. {@code /rooms/counter/a/total}
 * @param query query parameters, decoded
 * @param headers request headers, names in lower case; hop-by-hop headers are not passed
 * @param body the request body, empty when there is none
 * @param source who sent it, set by the gateway from where it came ({@link RequestSource#CLIENT} for a
 *     request made without one); what the sender wrote cannot change it
 */
public record RoomRequest(
    String method,
    String path,
    String fullPath,
    Map<String, List<String>> query,
    Map<String, List<String>> headers,
    byte[] body,
    RequestSource source) {

  public RoomRequest {
    query = Map.copyOf(query);
    headers = Map.copyOf(headers);
    Objects.requireNonNull(source, "source");
  }

  /** A request from a {@link RequestSource#CLIENT}: the gateway sets the source it came from. */
  public RoomRequest(
      String method,
      String path,
      String fullPath,
      Map<String, List<String>> query,
      Map<String, List<String>> headers,
      byte[] body) {
    this(method, path, fullPath, query, headers, body, RequestSource.CLIENT);
  }

  /** A request for a {@link RoomStub}: the gateway fills in the full path. */
  public static RoomRequest of(
      String method, String path, Map<String, List<String>> headers, byte[] body) {
    return new RoomRequest(method, path, path, Map.of(), headers, body);
  }

  public static RoomRequest get(String path) {
    return of("GET", path, Map.of(), new byte[0]);
  }

  /** A POST with a UTF-8 text body ({@code text/plain; charset=utf-8}). */
  public static RoomRequest post(String path, String body) {
    return of(
        "POST",
        path,
        Map.of("content-type", List.of("text/plain; charset=utf-8")),
        body.getBytes(StandardCharsets.UTF_8));
  }

  /** The same request with these query parameters. */
  public RoomRequest withQuery(Map<String, List<String>> parameters) {
    return new RoomRequest(method, path, fullPath, parameters, headers, body, source);
  }

  /** The same request under another full path. */
  public RoomRequest withFullPath(String full) {
    return new RoomRequest(method, path, full, query, headers, body, source);
  }

  /** The same request as from {@code from}: for the gateway, which knows where it came from. */
  public RoomRequest withSource(RequestSource from) {
    return new RoomRequest(method, path, fullPath, query, headers, body, from);
  }

  /** The body as UTF-8 text. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  public Optional<String> queryParameter(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }
}
