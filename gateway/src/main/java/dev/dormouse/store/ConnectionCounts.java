package dev.dormouse.store;

import dev.dormouse.contract.RedisKeys;
import dev.dormouse.contract.RoomKey;

/** Open connections per instance, kept by the gateways for the operator's status. */
public final class ConnectionCounts {

  private final RedisConnector redis;

  public ConnectionCounts(RedisConnector redis) {
    this.redis = redis;
  }

  public void opened(RoomKey key) {
    redis.async().hincrby(RedisKeys.connectionCounts(key.namespace(), key.room()), key.instance(), 1);
  }

  public void closed(RoomKey key) {
    redis.async().hincrby(RedisKeys.connectionCounts(key.namespace(), key.room()), key.instance(), -1);
  }
}
