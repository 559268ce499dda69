package dev.dormouse.store;

import dev.dormouse.contract.RedisKeys;
import dev.dormouse.room.RoomKey;
import java.time.Instant;
import java.util.Optional;

/**
 * Alarms in Redis: one string key per instance ({@link AlarmRecord}), written under the lease, and
 * the namespace's index ({@link RedisAlarmIndex}), written after it under the lease's epoch.
 */
public final class RedisAlarmStore implements AlarmStore {

  private final RedisConnector redis;
  private final RedisLeaseStore leases;
  private final RedisAlarmIndex index;

  public RedisAlarmStore(RedisConnector redis, RedisLeaseStore leases, RedisAlarmIndex index) {
    this.redis = redis;
    this.leases = leases;
    this.index = index;
  }

  @Override
  public Optional<AlarmRecord> get(RoomKey key) {
    return Optional.ofNullable(
            RedisCalls.call(
                "reading the alarm of " + key, () -> redis.sync().get(RedisKeys.alarm(key))))
        .map(AlarmRecord::decode);
  }

  @Override
  public AlarmRecord set(Lease lease, Instant at) {
    AlarmRecord alarm = AlarmRecord.set(at);
    leases.set(lease, RedisKeys.alarm(lease.key()), alarm.encode());
    return alarm;
  }

  @Override
  public void delete(Lease lease) {
    leases.del(lease, RedisKeys.alarm(lease.key()));
    index(lease, Optional.empty());
  }

  @Override
  public boolean replace(Lease lease, AlarmRecord fired, Optional<AlarmRecord> next) {
    String key = RedisKeys.alarm(lease.key());
    boolean replaced =
        next.isPresent()
            ? leases.setIf(lease, key, fired.encode(), next.get().encode())
            : leases.delIf(lease, key, fired.encode());
    if (replaced) {
      index(lease, next);
    }
    return replaced;
  }

  @Override
  public void index(Lease lease, Optional<AlarmRecord> alarm) {
    write(
        lease,
        alarm.isPresent() ? RedisAlarmIndex.Op.ADD : RedisAlarmIndex.Op.REMOVE,
        alarm.map(AlarmRecord::dueMillis).orElse(0L));
  }

  @Override
  public void hold(Lease lease, long untilMillis) {
    write(lease, RedisAlarmIndex.Op.ADD, untilMillis);
  }

  @Override
  public void indexIfMissing(Lease lease, AlarmRecord alarm) {
    write(lease, RedisAlarmIndex.Op.ADD_IF_MISSING, alarm.dueMillis());
  }

  /**
   * Refused under the lease's epoch, the write is made anyway if Redis confirms the lease: the later
   * epoch is then a deleted namesake's. Otherwise this owner is the stale one.
   */
  private void write(Lease lease, RedisAlarmIndex.Op op, long scoreMillis) {
    RoomKey key = lease.key();
    if (!index.write(key, lease.epoch(), false, op, scoreMillis)) {
      if (!leases.renew(lease)) {
        throw new StaleLeaseException(lease);
      }
      index.write(key, lease.epoch(), true, op, scoreMillis);
    }
  }

  @Override
  public boolean claim(RoomKey key, long nowMillis) {
    return index.claim(key, nowMillis, true);
  }
}
