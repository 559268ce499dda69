package dev.dormouse.config;

import java.util.Collection;
import java.util.Optional;

/** The rooms a process serves, by namespace and name. */
public interface RoomCatalog {

  Optional<RoomSettings> find(String namespace, String name);

  Collection<RoomSettings> all();
}
