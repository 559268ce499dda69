package dev.dormouse.store;

import dev.dormouse.contract.RedisKeys;
import dev.dormouse.room.RoomKey;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/** The connection records of {@link RedisKeys#connections}, read without a lease. */
public final class RedisConnectionRecords implements ConnectionRecords {

  private final RedisConnector redis;

  public RedisConnectionRecords(RedisConnector redis) {
    this.redis = redis;
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
