package dev.dormouse.publish;

import java.util.Arrays;
import java.util.Optional;

/**
 * Where a publish API request goes: {@code /v1/rooms/{room}/{action}[/{rest…}]} for a room without
 * instances and {@code /v1/rooms/{room}/{instance}/{action}[/{rest…}]} for one with, as the client
 * routes read {@code /rooms/…}: the room's {@code spec.instances} says which segment is which, so an
 * instance may be called anything, {@code messages} too.
 *
 * @param instance the instance name, "" for a room without instances
 * @param action what is asked of it, e.g. {@code messages}
 * @param rest what follows the action, "" when nothing does
 */
record PublishRoute(String room, String instance, String action, String rest) {

  static final String PREFIX = "/v1/rooms/";

  /** The room a path names, empty when the path is not under {@link #PREFIX} at all. */
  static Optional<String> roomOf(String path) {
    if (!path.startsWith(PREFIX)) {
      return Optional.empty();
    }
    String room = segments(path)[0];
    return room.isEmpty() ? Optional.empty() : Optional.of(room);
  }

  /** The route, once the room is known to have instances or not; empty when a segment is missing or empty. */
  static Optional<PublishRoute> parse(String path, boolean instances) {
    if (roomOf(path).isEmpty()) {
      return Optional.empty();
    }
    String[] parts = segments(path);
    int action = instances ? 2 : 1;
    if (parts.length <= action || Arrays.stream(parts, 0, action + 1).anyMatch(String::isEmpty)) {
      return Optional.empty();
    }
    String rest = String.join("/", Arrays.copyOfRange(parts, action + 1, parts.length));
    return Optional.of(new PublishRoute(parts[0], instances ? parts[1] : "", parts[action], rest));
  }

  private static String[] segments(String path) {
    return path.substring(PREFIX.length()).split("/", -1);
  }
}
