package dev.dormouse.gateway;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Headers that describe one connection, not the message (RFC 9110 §7.6.1), and the framing the
 * gateway does itself: never passed between a client and a room in either direction. Headers a
 * {@code Connection} header names are hop-by-hop too.
 */
final class HopByHop {

  private static final Set<String> NAMES =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-authenticate",
          "proxy-authorization",
          "proxy-connection",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "content-length");

  private HopByHop() {}

  /** The headers (names in lower case) without the hop-by-hop ones. */
  static Map<String, List<String>> strip(Map<String, List<String>> headers) {
    Set<String> named = new HashSet<>(NAMES);
    headers.forEach(
        (name, values) -> {
          if (name.equalsIgnoreCase("connection")) {
            for (String value : values) {
              for (String token : value.split(",")) {
                named.add(token.trim().toLowerCase(Locale.ROOT));
              }
            }
          }
        });
    Map<String, List<String>> kept = new LinkedHashMap<>();
    headers.forEach(
        (name, values) -> {
          String lower = name.toLowerCase(Locale.ROOT);
          if (!named.contains(lower)) {
            kept.put(lower, values);
          }
        });
    return kept;
  }
}
