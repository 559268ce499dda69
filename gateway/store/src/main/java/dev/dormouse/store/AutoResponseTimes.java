package dev.dormouse.store;

import dev.dormouse.contract.RedisKeys;
import dev.dormouse.room.RoomKey;
import java.time.Instant;
import java.util.Optional;

/**
 * When the gateway last answered each connection's auto-response request, in the instance's
 * auto-response hash (fields {@code ts:ID}, epoch millis). Gateways write it — it is theirs, so no
 * lease — and the room reads it through its context.
 */
public final class AutoResponseTimes implements AnswerTimes {

  private final RedisConnector redis;

  public AutoResponseTimes(RedisConnector redis) {
    this.redis = redis;
  }

  /** Records an answer without waiting: it is on the gateway's I/O path. */
  public void recordAnswered(RoomKey key, String connectionId, long epochMillis) {
    redis
        .async()
        .hset(RedisKeys.autoResponse(key), field(connectionId), Long.toString(epochMillis));
  }

  @Override
  public Optional<Instant> lastAnswered(RoomKey key, String connectionId) {
    String value =
        RedisCalls.call(
            "reading the auto-answer times of " + key,
            () -> redis.sync().hget(RedisKeys.autoResponse(key), field(connectionId)));
    return Optional.ofNullable(value).map(v -> Instant.ofEpochMilli(Long.parseLong(v)));
  }

  @Override
  public void forget(RoomKey key, String connectionId) {
    RedisCalls.call(
        "forgetting an auto-answer time of " + key,
        () -> redis.async().hdel(RedisKeys.autoResponse(key), field(connectionId)));
  }

  private static String field(String connectionId) {
    return "ts:" + connectionId;
  }
}
