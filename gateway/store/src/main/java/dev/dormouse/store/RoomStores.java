package dev.dormouse.store;

import dev.dormouse.room.Storage;
import java.time.Duration;

/**
 * Everything the owner runtime keeps in the store; writes go under the instance's lease, except the
 * instances' history, which is observability.
 */
public record RoomStores(
    LeaseStore leases,
    ConnectionRegistry registry,
    AutoResponseStore autoResponses,
    AnswerTimes autoResponseTimes,
    AlarmStore alarms,
    StorageStore storages,
    StoreProbe probe,
    InstanceHistory history) {

  /** The stores in Redis, over one connection. */
  public static RoomStores over(RedisConnector redis, Duration leaseTtl) {
    RedisLeaseStore leases = new RedisLeaseStore(redis, leaseTtl);
    return new RoomStores(
        leases,
        new RedisConnectionRegistry(redis, leases),
        new RedisAutoResponseStore(redis, leases),
        new AutoResponseTimes(redis),
        new RedisAlarmStore(redis, leases, new RedisAlarmIndex(redis)),
        (lease, maxValueBytes) -> new RedisRoomStorage(redis, leases, lease, maxValueBytes),
        new RedisStoreProbe(redis),
        new RedisInstanceHistory(redis));
  }

  public Storage storage(Lease lease, int maxValueBytes) {
    return storages.of(lease, maxValueBytes);
  }
}
