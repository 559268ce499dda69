package dev.dormouse.store;

import static dev.dormouse.store.RedisCalls.call;
import static dev.dormouse.store.RedisCalls.guarded;

import dev.dormouse.contract.RedisKeys;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/** {@link GatewayRecords} on the process's one Redis connection. */
public final class RedisGatewayRecords implements GatewayRecords {

  /** Takes the lock, or extends it if the holder has it already. */
  private static final String HOLD_LOCK =
      """
      if redis.call('get', KEYS[1]) == ARGV[1] then
        redis.call('pexpire', KEYS[1], ARGV[2])
        return 1
      end
      if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
        return 1
      end
      return 0""";

  private static final String RELEASE_LOCK =
      """
      if redis.call('get', KEYS[1]) == ARGV[1] then
        return redis.call('del', KEYS[1])
      end
      return 0""";
  private static final String FORGET_HEARTBEAT =
      """
      if redis.call('hget', KEYS[1], ARGV[1]) == ARGV[2] then
        return redis.call('hdel', KEYS[1], ARGV[1])
      end
      return 0""";

  private final RedisConnector redis;

  public RedisGatewayRecords(RedisConnector redis) {
    this.redis = redis;
  }

  @Override
  public void beat(String gatewayId, long epochMillis) {
    call(
        "heartbeat of " + gatewayId,
        () -> redis.sync().hset(RedisKeys.GATEWAYS, gatewayId, Long.toString(epochMillis)));
  }

  @Override
  public Optional<Instant> takeReapedMark(String gatewayId) {
    String mark =
        call(
            "reaped mark of " + gatewayId,
            () -> redis.sync().getdel(RedisKeys.gatewayReaped(gatewayId)));
    try {
      return Optional.ofNullable(mark).map(millis -> Instant.ofEpochMilli(Long.parseLong(millis)));
    } catch (NumberFormatException e) {
      return Optional.empty(); // no reaper writes that: nothing to act on
    }
  }

  @Override
  public CompletionStage<Void> addConnection(String gatewayId, String member) {
    return guarded(
            "recording a connection of " + gatewayId,
            redis.async().sadd(RedisKeys.gatewayConnections(gatewayId), member))
        .thenApply(added -> null);
  }

  @Override
  public CompletionStage<Boolean> removeConnection(String gatewayId, String member) {
    return guarded(
            "forgetting a connection of " + gatewayId,
            redis.async().srem(RedisKeys.gatewayConnections(gatewayId), member))
        .thenApply(removed -> removed == 1L);
  }

  @Override
  public void forget(String gatewayId) {
    call(
        "forgetting gateway " + gatewayId,
        () -> {
          redis.sync().del(RedisKeys.gatewayConnections(gatewayId));
          redis.sync().del(RedisKeys.gatewayPublished(gatewayId));
          return redis.sync().hdel(RedisKeys.GATEWAYS, gatewayId);
        });
  }

  @Override
  public void dropPublished(String gatewayId) {
    call(
        "dropping the published messages of " + gatewayId,
        () -> redis.sync().del(RedisKeys.gatewayPublished(gatewayId)));
  }

  @Override
  public Map<String, String> heartbeats() {
    return call("reading the heartbeats", () -> redis.sync().hgetall(RedisKeys.GATEWAYS));
  }

  @Override
  public Set<String> connections(String gatewayId) {
    return call(
        "reading the connections of " + gatewayId,
        () -> redis.sync().smembers(RedisKeys.gatewayConnections(gatewayId)));
  }

  @Override
  public boolean hasConnection(String gatewayId, String member) {
    return call(
        "reading the connections of " + gatewayId,
        () -> redis.sync().sismember(RedisKeys.gatewayConnections(gatewayId), member));
  }

  @Override
  public void markReaped(String gatewayId, long epochMillis, Duration ttl) {
    call(
        "marking " + gatewayId + " reaped",
        () ->
            redis
                .sync()
                .set(
                    RedisKeys.gatewayReaped(gatewayId),
                    Long.toString(epochMillis),
                    SetArgs.Builder.nx().px(ttl.toMillis())));
  }

  @Override
  public void forgetHeartbeat(String gatewayId, String lastBeat) {
    call(
        "forgetting the heartbeat of " + gatewayId,
        () ->
            redis
                .sync()
                .<Long>eval(
                    FORGET_HEARTBEAT,
                    ScriptOutputType.INTEGER,
                    new String[] {RedisKeys.GATEWAYS},
                    gatewayId,
                    lastBeat));
  }

  @Override
  public boolean holdReaperLock(String holder, Duration ttl) {
    Long held =
        call(
            "taking the reaper lock",
            () ->
                redis
                    .sync()
                    .eval(
                        HOLD_LOCK,
                        ScriptOutputType.INTEGER,
                        new String[] {RedisKeys.REAPER_LOCK},
                        holder,
                        Long.toString(ttl.toMillis())));
    return held != null && held == 1;
  }

  @Override
  public void releaseReaperLock(String holder) {
    call(
        "releasing the reaper lock",
        () ->
            redis
                .sync()
                .<Long>eval(
                    RELEASE_LOCK,
                    ScriptOutputType.INTEGER,
                    new String[] {RedisKeys.REAPER_LOCK},
                    holder));
  }
}
