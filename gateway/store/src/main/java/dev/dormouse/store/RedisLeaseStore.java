package dev.dormouse.store;

import dev.dormouse.contract.RedisKeys;
import dev.dormouse.room.RoomKey;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Leases in Redis. The lease key, its epoch counter and all the instance's state share one hash tag,
 * so each check-and-write below is one atomic script, on Redis Cluster too. Grants and renewals go
 * through {@link LeaseWrites}, which holds them back until enough replicas have them, so a failover
 * cannot forget a lease an owner acts on.
 */
public final class RedisLeaseStore implements LeaseStore {

  private static final String ACQUIRE =
      """
      local current = redis.call('GET', KEYS[1])
      if current then
        local owner, epoch = string.match(current, '^(.*) (%d+)$')
        if owner == ARGV[1] then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          return {1, epoch}
        end
        return {0, owner}
      end
      local epoch = redis.call('INCR', KEYS[2])
      redis.call('SET', KEYS[1], ARGV[1] .. ' ' .. epoch, 'PX', ARGV[2])
      return {1, tostring(epoch)}
      """;
  private static final String RENEW =
      """
      if redis.call('GET', KEYS[1]) == ARGV[1] then
        return redis.call('PEXPIRE', KEYS[1], ARGV[2])
      end
      return 0
      """;
  private static final String RELEASE =
      """
      if redis.call('GET', KEYS[1]) == ARGV[1] then
        return redis.call('DEL', KEYS[1])
      end
      return 0
      """;

  /** Runs one write only while the caller's lease is current. */
  private static final String FENCED =
      """
      if redis.call('GET', KEYS[1]) ~= ARGV[1] then
        return redis.error_reply('STALE lease')
      end
      local op = ARGV[2]
      if op == 'hset' then redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
      elseif op == 'hdel' then redis.call('HDEL', KEYS[2], ARGV[3])
      elseif op == 'set' then redis.call('SET', KEYS[2], ARGV[3])
      elseif op == 'del' then redis.call('DEL', KEYS[2])
      elseif op == 'setif' or op == 'delif' then
        if redis.call('GET', KEYS[2]) ~= ARGV[3] then return 0 end
        if op == 'setif' then redis.call('SET', KEYS[2], ARGV[4]) else redis.call('DEL', KEYS[2]) end
      else return redis.error_reply('unknown fenced operation ' .. op) end
      return 1
      """;

  private final RedisConnector redis;
  private final Duration ttl;

  public RedisLeaseStore(RedisConnector redis, Duration ttl) {
    this.redis = redis;
    this.ttl = ttl;
  }

  @Override
  public Duration ttl() {
    return ttl;
  }

  @Override
  public Grant acquire(RoomKey key, String ownerId) {
    String leaseKey = RedisKeys.lease(key);
    List<Object> result =
        redis
            .leaseWrites()
            .call(
                "taking the lease of " + key,
                leaseKey,
                sync ->
                    sync.eval(
                        ACQUIRE,
                        ScriptOutputType.MULTI,
                        new String[] {leaseKey, RedisKeys.epochs(key)},
                        ownerId,
                        Long.toString(ttl.toMillis())),
                RedisLeaseStore::granted);
    if (granted(result)) {
      return new Grant(new Lease(key, ownerId, Long.parseLong((String) result.get(1))), null);
    }
    return new Grant(null, (String) result.get(1));
  }

  @Override
  public boolean renew(Lease lease) {
    return isOne(
        redis
            .leaseWrites()
            .call(
                "renewing the lease of " + lease.key(),
                lease.redisKey(),
                sync ->
                    sync.eval(
                        RENEW,
                        ScriptOutputType.INTEGER,
                        new String[] {lease.redisKey()},
                        lease.token(),
                        Long.toString(ttl.toMillis())),
                RedisLeaseStore::isOne));
  }

  @Override
  public CompletionStage<Boolean> renewInBackground(Lease lease) {
    return redis
        .leaseWrites()
        .send(
            "renewing the lease of " + lease.key(),
            lease.redisKey(),
            async ->
                async.<Long>eval(
                    RENEW,
                    ScriptOutputType.INTEGER,
                    new String[] {lease.redisKey()},
                    lease.token(),
                    Long.toString(ttl.toMillis())),
            RedisLeaseStore::isOne)
        .thenApply(RedisLeaseStore::isOne);
  }

  @Override
  public CompletionStage<Boolean> releaseInBackground(Lease lease) {
    return RedisCalls.guarded(
            "releasing the lease of " + lease.key(),
            redis
                .async()
                .<Long>eval(
                    RELEASE,
                    ScriptOutputType.INTEGER,
                    new String[] {lease.redisKey()},
                    lease.token()))
        .thenApply(RedisLeaseStore::isOne);
  }

  private static boolean granted(List<Object> acquired) {
    return ((Long) acquired.get(0)) == 1L;
  }

  private static boolean isOne(Long result) {
    return result != null && result == 1L;
  }

  void hset(Lease lease, String hash, String field, String value) {
    fenced(lease, hash, "hset", field, value);
  }

  void hdel(Lease lease, String hash, String field) {
    fenced(lease, hash, "hdel", field);
  }

  void set(Lease lease, String key, String value) {
    fenced(lease, key, "set", value);
  }

  void del(Lease lease, String key) {
    fenced(lease, key, "del");
  }

  /** Sets {@code key} to {@code value} if it still holds {@code expected}; false when it did not. */
  boolean setIf(Lease lease, String key, String expected, String value) {
    return isOne(fenced(lease, key, "setif", expected, value));
  }

  /** Deletes {@code key} if it still holds {@code expected}; false when it did not. */
  boolean delIf(Lease lease, String key, String expected) {
    return isOne(fenced(lease, key, "delif", expected));
  }

  /**
   * {@link #hset} without waiting. It goes over the connection the synchronous writes use, so Redis
   * runs it before any write made after this call, sent or synchronous: a later record of the same
   * field, or its removal, cannot land before it (a Cluster routes both to the one slot's node).
   */
  CompletionStage<Void> hsetInBackground(Lease lease, String hash, String field, String value) {
    return fencedInBackground(lease, hash, "hset", field, value);
  }

  /** {@link #hdel} without waiting, in order with the instance's other writes as {@link #hsetInBackground}. */
  CompletionStage<Void> hdelInBackground(Lease lease, String hash, String field) {
    return fencedInBackground(lease, hash, "hdel", field);
  }

  private Long fenced(Lease lease, String key, String op, String... args) {
    return underLease(
        lease,
        "writing " + key,
        () ->
            redis
                .sync()
                .eval(
                    FENCED,
                    ScriptOutputType.INTEGER,
                    new String[] {lease.redisKey(), key},
                    fencedArgs(lease, op, args)));
  }

  /** Fails with {@link StaleLeaseException} or {@link StoreUnavailableException}, as {@link #fenced} throws. */
  private CompletionStage<Void> fencedInBackground(
      Lease lease, String key, String op, String... args) {
    String what = "writing " + key + " under lease " + lease.token();
    return RedisCalls.guarded(
            redis
                .async()
                .<Long>eval(
                    FENCED,
                    ScriptOutputType.INTEGER,
                    new String[] {lease.redisKey(), key},
                    fencedArgs(lease, op, args)),
            cause ->
                isStale(cause)
                    ? new StaleLeaseException(lease)
                    : RedisCalls.unavailable(what, cause))
        .thenApply(written -> null);
  }

  private static String[] fencedArgs(Lease lease, String op, String... args) {
    String[] argv = new String[2 + args.length];
    argv[0] = lease.token();
    argv[1] = op;
    System.arraycopy(args, 0, argv, 2, args.length);
    return argv;
  }

  /** The refusal of a script that begins as {@link #FENCED} does. */
  private static boolean isStale(Throwable error) {
    return error instanceof RedisCommandExecutionException
        && error.getMessage() != null
        && error.getMessage().startsWith("STALE");
  }

  /**
   * Runs a script that begins as {@link #FENCED} does (its KEYS[1] the lease key, its ARGV[1] the
   * token, refusing with a {@code STALE} error reply): its refusal becomes a {@link
   * StaleLeaseException}.
   */
  <T> T underLease(Lease lease, String what, Supplier<T> script) {
    return RedisCalls.call(
        what + " under lease " + lease.token(),
        () -> {
          try {
            return script.get();
          } catch (RedisCommandExecutionException e) {
            if (isStale(e)) {
              throw new StaleLeaseException(lease);
            }
            throw e;
          }
        });
  }
}
