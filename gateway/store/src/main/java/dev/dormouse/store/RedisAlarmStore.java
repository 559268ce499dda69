package dev.dormouse.store;

import dev.dormouse.contract.RedisKeys;
import dev.dormouse.room.RoomKey;
import java.time.Instant;
import java.util.Optional;

/** Alarm times in Redis, one string key per instance (epoch millis). */
public final class RedisAlarmStore implements AlarmStore {

  private final RedisConnector redis;
  private final RedisLeaseStore leases;

  public RedisAlarmStore(RedisConnector redis, RedisLeaseStore leases) {
    this.redis = redis;
    this.leases = leases;
  }

  @Override
  public void set(Lease lease, Instant at) {
    leases.set(lease, RedisKeys.alarm(lease.key()), Long.toString(at.toEpochMilli()));
  }

  @Override
  public Optional<Instant> get(RoomKey key) {
    return Optional.ofNullable(
            RedisCalls.call(
                "reading the alarm of " + key, () -> redis.sync().get(RedisKeys.alarm(key))))
        .map(v -> Instant.ofEpochMilli(Long.parseLong(v)));
  }

  @Override
  public void delete(Lease lease) {
    leases.del(lease, RedisKeys.alarm(lease.key()));
  }
}
