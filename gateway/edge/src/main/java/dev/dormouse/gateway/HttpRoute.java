package dev.dormouse.gateway;

import java.util.Optional;

/**
 * Where a plain HTTP request under {@code /rooms/} goes: {@code /rooms/{room}/{instance}/{path…}} for
 * a room with instances, {@code /rooms/{room}/{path…}} for one without. Which of the two a path means
 * depends on the room, so the room's name is read first ({@link #room}) and the rest once its settings
 * are known ({@link #of}).
 *
 * @param instance the instance name ("" for the room itself, also for {@code /rooms/{room}} of a room
 *     with instances, as for upgrades)
 * @param path what follows the room key, starting with {@code /}
 */
record HttpRoute(String room, String instance, String path) {

  static final String ROOMS = "/rooms/";

  /** The room a request path names; empty when it is not under {@code /rooms/} or names none. */
  static Optional<String> room(String fullPath) {
    if (!fullPath.startsWith(ROOMS)) {
      return Optional.empty();
    }
    String rest = fullPath.substring(ROOMS.length());
    int slash = rest.indexOf('/');
    String room = slash < 0 ? rest : rest.substring(0, slash);
    return room.isEmpty() ? Optional.empty() : Optional.of(room);
  }

  /**
   * Splits the path of a request for {@code room}, which {@link #room} read from it; empty when the
   * instance segment is there but empty ({@code /rooms/chat//x}), which names no instance.
   */
  static Optional<HttpRoute> of(String fullPath, String room, boolean instances) {
    String rest = fullPath.substring(ROOMS.length() + room.length());
    if (!instances || rest.isEmpty() || rest.equals("/")) {
      return Optional.of(new HttpRoute(room, "", rest.isEmpty() ? "/" : rest));
    }
    int slash = rest.indexOf('/', 1);
    String instance = slash < 0 ? rest.substring(1) : rest.substring(1, slash);
    return instance.isEmpty()
        ? Optional.empty()
        : Optional.of(new HttpRoute(room, instance, slash < 0 ? "/" : rest.substring(slash)));
  }
}
