package dev.dormouse.gateway;

import java.util.Optional;

/**
 * Where an upgrade request wants to go: {@code /websocket} (the default room), {@code /rooms/{room}}
 * or {@code /rooms/{room}/{instance}}.
 *
 * @param instance the instance name, or empty for the room itself
 */
record Route(String room, Optional<String> instance) {

  private static final String ROOMS = "/rooms/";

  static final String INSTANCE_RULE = InstanceNames.RULE;

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
    return instance.isEmpty() || InstanceNames.valid(instance.get());
  }
}
