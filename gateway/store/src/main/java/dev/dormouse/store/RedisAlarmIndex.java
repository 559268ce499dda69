package dev.dormouse.store;

import dev.dormouse.contract.RedisKeys;
import dev.dormouse.room.RoomKey;
import io.lettuce.core.ScriptOutputType;
import java.util.List;

/**
 * The alarm index in Redis: per namespace a sorted set ({@link RedisKeys#alarmIndex}) and beside it,
 * in the same slot, the lease epoch of each instance's last index write ({@link
 * RedisKeys#alarmEpochs}). Every write is one script on those two keys.
 */
public final class RedisAlarmIndex implements AlarmIndex {

  /**
   * Sets (add), adds if absent (addnx) or removes (rem) an instance's entry, unless a write under a
   * later lease epoch came first: a stale owner cannot undo its successor's alarm. A removal takes
   * the epoch with the entry, so the hash does not grow with every instance that ever had an alarm;
   * a stale owner's add after it can then only index an alarm its instance no longer has, and
   * raising that finds no alarm under the lease and removes the entry again. {@code force}
   * skips that check, for a holder whose lease Redis has just confirmed: a higher epoch can then only
   * be left from a deleted room of the same name, whose epoch counter started again.
   */
  private static final String WRITE =
      """
      local stored = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
      if ARGV[3] ~= '1' and tonumber(ARGV[2]) < stored then
        return 0
      end
      if ARGV[4] == 'rem' then
        redis.call('ZREM', KEYS[1], ARGV[1])
        redis.call('HDEL', KEYS[2], ARGV[1])
        return 1
      end
      redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
      if ARGV[4] == 'add' then
        redis.call('ZADD', KEYS[1], ARGV[5], ARGV[1])
      else
        redis.call('ZADD', KEYS[1], 'NX', ARGV[5], ARGV[1])
      end
      return 1
      """;

  /** One instance's entry, if due by ARGV[2] (or absent, with ARGV[4] = 1), is held until ARGV[3]. */
  private static final String CLAIM =
      """
      local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
      if score then
        if tonumber(score) > tonumber(ARGV[2]) then
          return 0
        end
      elseif ARGV[4] ~= '1' then
        return 0
      end
      redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
      return 1
      """;

  /** Every entry due by ARGV[1], at most ARGV[3] of them, held until ARGV[2]. */
  private static final String CLAIM_DUE =
      """
      local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
      for _, member in ipairs(due) do
        redis.call('ZADD', KEYS[1], ARGV[2], member)
      end
      return due
      """;

  private static final String FORGET =
      """
      local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
      if score and tonumber(score) == tonumber(ARGV[2]) then
        redis.call('ZREM', KEYS[1], ARGV[1])
        redis.call('HDEL', KEYS[2], ARGV[1])
        return 1
      end
      return 0
      """;

  /** What an index write does to the instance's entry. */
  enum Op {
    ADD("add"),
    ADD_IF_MISSING("addnx"),
    REMOVE("rem");

    final String script;

    Op(String script) {
      this.script = script;
    }
  }

  private final RedisConnector redis;

  public RedisAlarmIndex(RedisConnector redis) {
    this.redis = redis;
  }

  /**
   * @return false when a write under a later epoch came first
   */
  boolean write(RoomKey key, long epoch, boolean force, Op op, long scoreMillis) {
    String[] keys = keys(key.namespace());
    Long written =
        RedisCalls.call(
            "indexing the alarm of " + key,
            () ->
                redis
                    .sync()
                    .eval(
                        WRITE,
                        ScriptOutputType.INTEGER,
                        keys,
                        key.toString(),
                        Long.toString(epoch),
                        force ? "1" : "0",
                        op.script,
                        Long.toString(scoreMillis)));
    return written != null && written == 1L;
  }

  boolean claim(RoomKey key, long nowMillis, boolean evenIfMissing) {
    Long claimed =
        RedisCalls.call(
            "claiming the alarm of " + key,
            () ->
                redis
                    .sync()
                    .eval(
                        CLAIM,
                        ScriptOutputType.INTEGER,
                        new String[] {RedisKeys.alarmIndex(key.namespace())},
                        key.toString(),
                        Long.toString(nowMillis),
                        Long.toString(AlarmIndex.claimedUntil(nowMillis)),
                        evenIfMissing ? "1" : "0"));
    return claimed != null && claimed == 1L;
  }

  @Override
  public List<RoomKey> claimDue(String namespace, long nowMillis, int limit) {
    List<String> due =
        RedisCalls.call(
            "claiming the due alarms of namespace " + namespace,
            () ->
                redis
                    .sync()
                    .eval(
                        CLAIM_DUE,
                        ScriptOutputType.MULTI,
                        new String[] {RedisKeys.alarmIndex(namespace)},
                        Long.toString(nowMillis),
                        Long.toString(AlarmIndex.claimedUntil(nowMillis)),
                        Integer.toString(limit)));
    return due.stream().map(RoomKey::parse).toList();
  }

  @Override
  public void forget(RoomKey key, long claimedUntil) {
    RedisCalls.call(
        "forgetting the alarm of " + key,
        () ->
            redis
                .sync()
                .eval(
                    FORGET,
                    ScriptOutputType.INTEGER,
                    keys(key.namespace()),
                    key.toString(),
                    Long.toString(claimedUntil)));
  }

  private static String[] keys(String namespace) {
    return new String[] {RedisKeys.alarmIndex(namespace), RedisKeys.alarmEpochs(namespace)};
  }
}
