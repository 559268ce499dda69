package dev.dormouse.room;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The upgrade request as the room sees it.
 *
 * @param path the request path, e.g. {@code /rooms/chat/lobby}
 * @param query query parameters
 * @param headers request headers, names in lower case
 * @param remoteAddress the client's address as the gateway saw it
 * @param claims the verified token's claims when the room checks tokens, else empty
 */
public record ConnectRequest(
    String path,
    Map<String, List<String>> query,
    Map<String, List<String>> headers,
    String remoteAddress,
    Map<String, Object> claims) {

  public ConnectRequest {
    query = Map.copyOf(query);
    headers = Map.copyOf(headers);
    claims = Map.copyOf(claims);
  }

  public Optional<String> queryParameter(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }
}
