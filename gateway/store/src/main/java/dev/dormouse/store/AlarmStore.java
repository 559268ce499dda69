package dev.dormouse.store;

import dev.dormouse.contract.RedisKeys;
import dev.dormouse.room.RoomKey;
import java.time.Instant;
import java.util.Optional;

/** Each instance's alarm time, so it outlives the activation that set it. */
public final class AlarmStore {

  private final RedisConnector redis;
  private final LeaseStore leases;

  public AlarmStore(RedisConnector redis, LeaseStore leases) {
    this.redis = redis;
    this.leases = leases;
  }

  public void set(Lease lease, Instant at) {
    leases.set(lease, RedisKeys.alarm(lease.key()), Long.toString(at.toEpochMilli()));
  }

  public Optional<Instant> get(RoomKey key) {
    return Optional.ofNullable(redis.sync().get(RedisKeys.alarm(key)))
        .map(v -> Instant.ofEpochMilli(Long.parseLong(v)));
  }

  public void delete(Lease lease) {
    leases.del(lease, RedisKeys.alarm(lease.key()));
  }
}
