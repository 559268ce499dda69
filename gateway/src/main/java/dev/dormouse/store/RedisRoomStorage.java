package dev.dormouse.store;

import dev.dormouse.contract.RedisKeys;
import dev.dormouse.contract.RoomKey;
import dev.dormouse.room.Storage;
import java.util.Map;
import java.util.Optional;

/** A room instance's key–value storage: one Redis hash. */
public final class RedisRoomStorage implements Storage {

  private final RedisConnector redis;
  private final String hash;

  public RedisRoomStorage(RedisConnector redis, RoomKey key) {
    this.redis = redis;
    this.hash = RedisKeys.storage(key);
  }

  @Override
  public Optional<String> get(String key) {
    return Optional.ofNullable(redis.sync().hget(hash, key));
  }

  @Override
  public void put(String key, String value) {
    redis.sync().hset(hash, key, value);
  }

  @Override
  public void delete(String key) {
    redis.sync().hdel(hash, key);
  }

  @Override
  public Map<String, String> list() {
    return redis.sync().hgetall(hash);
  }
}
