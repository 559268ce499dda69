package dev.dormouse.gateway;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where an upgrade request wants to go: {@code /websocket} (the default room), {@code /rooms/{room}}
 * or {@code /rooms/{room}/{instance}}.
 *
 * @param instance the instance name, or empty for the room itself
 */
record Route(String room, Optional<String> instance) {

  private static final String ROOMS = "/rooms/";

  /**
   * Instance names appear in URLs, Redis keys and logs: keep them plain, and never a path segment
   * that means something ({@code .}, {@code ..}).
   */
  private static final Pattern INSTANCE = Pattern.compile("^(?!\\.+$)[A-Za-z0-9._~-]{1,128}$");

  static final String INSTANCE_RULE =
      "Instance names are 1 to 128 of A-Z a-z 0-9 . _ ~ -, not only dots";

  /** Empty when the path is not a WebSocket endpoint at all. */
  static Optional<Route> parse(String path, String defaultRoom) {
    if (path.equals("/websocket")) {
      return Optional.of(new Route(defaultRoom, Optional.empty()));
    }
    if (!path.startsWith(ROOMS)) {
      return Optional.empty();
    }
    String[] parts = path.substring(ROOMS.length()).split("/", -1);
    if (parts.length == 1) {
      return Optional.of(new Route(parts[0], Optional.empty()));
    }
    if (parts.length == 2) {
      return Optional.of(new Route(parts[0], Optional.of(parts[1])));
    }
    return Optional.of(new Route("", Optional.empty()));
  }

  boolean validInstance() {
    return instance.isEmpty() || validInstanceName(instance.get());
  }

  static boolean validInstanceName(String name) {
    return INSTANCE.matcher(name).matches();
  }
}
