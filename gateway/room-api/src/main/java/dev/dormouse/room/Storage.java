package dev.dormouse.room;

import java.util.Map;
import java.util.Optional;

/** Durable key–value storage of one room instance, shared by all its activations. */
public interface Storage {

  Optional<String> get(String key);

  void put(String key, String value);

  void delete(String key);

  Map<String, String> list();
}
