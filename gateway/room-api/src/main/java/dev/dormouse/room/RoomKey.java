package dev.dormouse.room;

import java.util.Objects;

/**
 * Identifies one room instance cluster-wide: the namespace and name of its WebSocketRoom and, for
 * rooms with instances, the instance name. A room without instances has one instance, named "".
 */
public record RoomKey(String namespace, String room, String instance) {

  public RoomKey {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(room, "room");
    Objects.requireNonNull(instance, "instance");
  }

  public static RoomKey of(String namespace, String room) {
    return new RoomKey(namespace, room, "");
  }

  /** Parses the form written by {@link #toString()}. */
  public static RoomKey parse(String text) {
    String[] parts = text.split("/", 3);
    if (parts.length < 2) {
      throw new IllegalArgumentException("not a room key: " + text);
    }
    return new RoomKey(parts[0], parts[1], parts.length == 3 ? parts[2] : "");
  }

  /** The room this instance belongs to, as {@code namespace/room}. */
  public String roomPath() {
    return namespace + "/" + room;
  }

  @Override
  public String toString() {
    return instance.isEmpty() ? roomPath() : roomPath() + "/" + instance;
  }
}
