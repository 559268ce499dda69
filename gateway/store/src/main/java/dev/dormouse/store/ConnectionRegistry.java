package dev.dormouse.store;

import dev.dormouse.room.RoomKey;
import java.util.Map;

/**
 * The live connections of each room instance, kept so an evicted instance can be rebuilt. Written
 * only under the instance's lease: writes throw {@link StaleLeaseException} once it is lost.
 */
public interface ConnectionRegistry {

  void put(Lease lease, String connectionId, ConnectionRecord record);

  void remove(Lease lease, String connectionId);

  /** Every connection of the instance, oldest first (the order clients joined). */
  Map<String, ConnectionRecord> all(RoomKey key);
}
