package dev.dormouse.store;

import dev.dormouse.room.RoomKey;
import java.util.Map;

/** Reading the live connections of a room instance, as a gateway does to publish to them. */
public interface ConnectionRecords {

  /** Every connection of the instance, oldest first (the order clients joined). */
  Map<String, ConnectionRecord> all(RoomKey key);
}
