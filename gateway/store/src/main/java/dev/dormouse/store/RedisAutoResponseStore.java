package dev.dormouse.store;

import dev.dormouse.contract.RedisKeys;
import dev.dormouse.room.AutoResponsePair;
import dev.dormouse.room.RoomKey;
import java.time.Duration;
import java.util.Optional;

/**
 * The auto-response pair in the instance's auto-response hash (field {@code pair} holds
 * {@code request \0 response}); beside it the socket event timeout (field {@code eventTimeout},
 * milliseconds), read with the pair when the instance starts.
 */
public final class RedisAutoResponseStore implements AutoResponseStore {

  private static final String PAIR = "pair";
  private static final String SEPARATOR = "\0";
  private static final String EVENT_TIMEOUT = "eventTimeout";

  private final RedisConnector redis;
  private final RedisLeaseStore leases;

  public RedisAutoResponseStore(RedisConnector redis, RedisLeaseStore leases) {
    this.redis = redis;
    this.leases = leases;
  }

  @Override
  public Optional<AutoResponsePair> pair(RoomKey key) {
    String value =
        RedisCalls.call(
            "reading the auto-response of " + key,
            () -> redis.sync().hget(RedisKeys.autoResponse(key), PAIR));
    if (value == null) {
      return Optional.empty();
    }
    int split = value.indexOf(SEPARATOR);
    return Optional.of(new AutoResponsePair(value.substring(0, split), value.substring(split + 1)));
  }

  @Override
  public void setPair(Lease lease, AutoResponsePair pair) {
    if (pair == null) {
      leases.hdel(lease, RedisKeys.autoResponse(lease.key()), PAIR);
    } else {
      leases.hset(
          lease,
          RedisKeys.autoResponse(lease.key()),
          PAIR,
          pair.request() + SEPARATOR + pair.response());
    }
  }

  @Override
  public Optional<Duration> socketEventTimeout(RoomKey key) {
    String millis =
        RedisCalls.call(
            "reading the socket event timeout of " + key,
            () -> redis.sync().hget(RedisKeys.autoResponse(key), EVENT_TIMEOUT));
    return Optional.ofNullable(millis).map(Long::parseLong).map(Duration::ofMillis);
  }

  @Override
  public void setSocketEventTimeout(Lease lease, Duration timeout) {
    if (timeout == null) {
      leases.hdel(lease, RedisKeys.autoResponse(lease.key()), EVENT_TIMEOUT);
    } else {
      leases.hset(
          lease,
          RedisKeys.autoResponse(lease.key()),
          EVENT_TIMEOUT,
          Long.toString(timeout.toMillis()));
    }
  }
}
