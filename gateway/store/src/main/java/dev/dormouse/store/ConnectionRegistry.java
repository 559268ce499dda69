package dev.dormouse.store;

import dev.dormouse.contract.RedisKeys;
import dev.dormouse.room.RoomKey;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The live connections of each room instance, in Redis, so an evicted instance can be rebuilt.
 * Written only under the instance's lease.
 */
public final class ConnectionRegistry {

  private final RedisConnector redis;
  private final LeaseStore leases;

  public ConnectionRegistry(RedisConnector redis, LeaseStore leases) {
    this.redis = redis;
    this.leases = leases;
  }

  public void put(Lease lease, String connectionId, ConnectionRecord record) {
    leases.hset(lease, RedisKeys.connections(lease.key()), connectionId, record.encode());
  }

  public void remove(Lease lease, String connectionId) {
    leases.hdel(lease, RedisKeys.connections(lease.key()), connectionId);
  }

  /** Every connection of the instance, oldest first (the order clients joined). */
  public Map<String, ConnectionRecord> all(RoomKey key) {
    Map<String, ConnectionRecord> sorted = new LinkedHashMap<>();
    redis.sync().hgetall(RedisKeys.connections(key)).entrySet().stream()
        .map(e -> Map.entry(e.getKey(), ConnectionRecord.decode(e.getValue())))
        .sorted(Comparator.comparingLong((Map.Entry<String, ConnectionRecord> e) -> e.getValue().createdAt())
            .thenComparing(Map.Entry::getKey))
        .forEachOrdered(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }
}
