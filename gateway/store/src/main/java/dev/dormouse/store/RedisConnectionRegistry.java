package dev.dormouse.store;

import dev.dormouse.contract.RedisKeys;
import dev.dormouse.room.RoomKey;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/** The connection records in Redis: one hash per instance, connection id to its encoded record. */
public final class RedisConnectionRegistry implements ConnectionRegistry {

  private final RedisConnector redis;
  private final RedisLeaseStore leases;

  public RedisConnectionRegistry(RedisConnector redis, RedisLeaseStore leases) {
    this.redis = redis;
    this.leases = leases;
  }

  @Override
  public void put(Lease lease, String connectionId, ConnectionRecord record) {
    leases.hset(lease, RedisKeys.connections(lease.key()), connectionId, record.encode());
  }

  @Override
  public void remove(Lease lease, String connectionId) {
    leases.hdel(lease, RedisKeys.connections(lease.key()), connectionId);
  }

  @Override
  public Map<String, ConnectionRecord> all(RoomKey key) {
    Map<String, ConnectionRecord> sorted = new LinkedHashMap<>();
    RedisCalls.call(
            "reading the connections of " + key,
            () -> redis.sync().hgetall(RedisKeys.connections(key)))
        .entrySet()
        .stream()
        .map(e -> Map.entry(e.getKey(), ConnectionRecord.decode(e.getValue())))
        .sorted(
            Comparator.comparingLong(
                    (Map.Entry<String, ConnectionRecord> e) -> e.getValue().createdAt())
                .thenComparing(Map.Entry::getKey))
        .forEachOrdered(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }
}
