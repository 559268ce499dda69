package dev.dormouse.config;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A fixed set of rooms: the local run's room files, or an owner's single room. */
public final class StaticRoomCatalog implements RoomCatalog {

  private final Map<String, RoomSettings> rooms = new LinkedHashMap<>();

  public StaticRoomCatalog(List<RoomSettings> rooms) {
    for (RoomSettings room : rooms) {
      if (this.rooms.putIfAbsent(room.path(), room) != null) {
        throw new IllegalArgumentException("room " + room.path() + " is declared twice");
      }
    }
  }

  @Override
  public Optional<RoomSettings> find(String namespace, String name) {
    return Optional.ofNullable(rooms.get(namespace + "/" + name));
  }

  @Override
  public Collection<RoomSettings> all() {
    return List.copyOf(rooms.values());
  }
}
