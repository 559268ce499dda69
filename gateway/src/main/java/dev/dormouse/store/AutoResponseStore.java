package dev.dormouse.store;

import dev.dormouse.contract.RedisKeys;
import dev.dormouse.contract.RoomKey;
import dev.dormouse.room.AutoResponsePair;
import java.time.Instant;
import java.util.Optional;

/**
 * The auto-response pair a room set, and when each connection was last auto-answered. Kept in one
 * hash per instance: field {@code pair} holds {@code request \0 response}, fields {@code ts:ID} hold
 * epoch millis.
 */
public final class AutoResponseStore {

  private static final String PAIR = "pair";
  private static final String SEPARATOR = "\0";

  private final RedisConnector redis;
  private final LeaseStore leases;

  public AutoResponseStore(RedisConnector redis, LeaseStore leases) {
    this.redis = redis;
    this.leases = leases;
  }

  public Optional<AutoResponsePair> pair(RoomKey key) {
    String value = redis.sync().hget(RedisKeys.autoResponse(key), PAIR);
    if (value == null) {
      return Optional.empty();
    }
    int split = value.indexOf(SEPARATOR);
    return Optional.of(new AutoResponsePair(value.substring(0, split), value.substring(split + 1)));
  }

  public void setPair(Lease lease, AutoResponsePair pair) {
    if (pair == null) {
      leases.hdel(lease, RedisKeys.autoResponse(lease.key()), PAIR);
    } else {
      leases.hset(lease, RedisKeys.autoResponse(lease.key()), PAIR, pair.request() + SEPARATOR + pair.response());
    }
  }

  /** Records an auto-answer without waiting: it is on the gateway's I/O path, and the gateway's data. */
  public void recordAnswered(RoomKey key, String connectionId, long epochMillis) {
    redis.async().hset(RedisKeys.autoResponse(key), "ts:" + connectionId, Long.toString(epochMillis));
  }

  public Optional<Instant> lastAnswered(RoomKey key, String connectionId) {
    String value = redis.sync().hget(RedisKeys.autoResponse(key), "ts:" + connectionId);
    return Optional.ofNullable(value).map(v -> Instant.ofEpochMilli(Long.parseLong(v)));
  }

  public void forget(RoomKey key, String connectionId) {
    redis.async().hdel(RedisKeys.autoResponse(key), "ts:" + connectionId);
  }
}
