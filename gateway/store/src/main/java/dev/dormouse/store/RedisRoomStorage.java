package dev.dormouse.store;

import dev.dormouse.contract.RedisKeys;
import dev.dormouse.room.Storage;
import java.util.Map;
import java.util.Optional;

/** A room instance's key–value storage: one Redis hash, written under the instance's lease. */
public final class RedisRoomStorage implements Storage {

  private final RedisConnector redis;
  private final RedisLeaseStore leases;
  private final Lease lease;
  private final String hash;

  public RedisRoomStorage(RedisConnector redis, RedisLeaseStore leases, Lease lease) {
    this.redis = redis;
    this.leases = leases;
    this.lease = lease;
    this.hash = RedisKeys.storage(lease.key());
  }

  @Override
  public Optional<String> get(String key) {
    return Optional.ofNullable(
        RedisCalls.call(
            "reading the storage of " + lease.key(), () -> redis.sync().hget(hash, key)));
  }

  @Override
  public void put(String key, String value) {
    leases.hset(lease, hash, key, value);
  }

  @Override
  public void delete(String key) {
    leases.hdel(lease, hash, key);
  }

  @Override
  public Map<String, String> list() {
    return RedisCalls.call(
        "reading the storage of " + lease.key(), () -> redis.sync().hgetall(hash));
  }
}
