package dev.dormouse.store;

import dev.dormouse.contract.RedisKeys;
import dev.dormouse.contract.RoomKey;
import java.time.Instant;
import java.util.Optional;

/** Each instance's alarm time, so it outlives the activation that set it. */
public final class AlarmStore {

  private final RedisConnector redis;

  public AlarmStore(RedisConnector redis) {
    this.redis = redis;
  }

  public void set(RoomKey key, Instant at) {
    redis.sync().set(RedisKeys.alarm(key), Long.toString(at.toEpochMilli()));
  }

  public Optional<Instant> get(RoomKey key) {
    return Optional.ofNullable(redis.sync().get(RedisKeys.alarm(key)))
        .map(v -> Instant.ofEpochMilli(Long.parseLong(v)));
  }

  public void delete(RoomKey key) {
    redis.sync().del(RedisKeys.alarm(key));
  }
}
