package dev.dormouse.store;

import dev.dormouse.contract.RedisKeys;
import dev.dormouse.room.RoomKey;
import io.lettuce.core.ScriptOutputType;

/** Open connections per instance, kept by the gateways for the operator's status. */
public final class ConnectionCounts {

  /**
   * Counts a connection out only where it was counted in: once a deleted room's keys are gone, the
   * closes of its last clients must not bring its counts back (as negative numbers).
   */
  private static final String DECREMENT_IF_PRESENT =
      """
      if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then
        return redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
      end
      return 0
      """;

  private final RedisConnector redis;

  public ConnectionCounts(RedisConnector redis) {
    this.redis = redis;
  }

  public void opened(RoomKey key) {
    redis
        .async()
        .hincrby(RedisKeys.connectionCounts(key.namespace(), key.room()), key.instance(), 1);
  }

  public void closed(RoomKey key) {
    redis
        .async()
        .eval(
            DECREMENT_IF_PRESENT,
            ScriptOutputType.INTEGER,
            new String[] {RedisKeys.connectionCounts(key.namespace(), key.room())},
            key.instance());
  }
}
