package dev.dormouse.store;

import dev.dormouse.room.Storage;
import java.time.Duration;

/** Everything the runtime keeps in Redis, over one connection; writes go under the instance's lease. */
public record RoomStores(RedisConnector redis, LeaseStore leases, ConnectionRegistry registry,
    AutoResponseStore autoResponses, AutoResponseTimes autoResponseTimes, AlarmStore alarms) {

  public static RoomStores over(RedisConnector redis, Duration leaseTtl) {
    LeaseStore leases = new LeaseStore(redis, leaseTtl);
    return new RoomStores(redis, leases, new ConnectionRegistry(redis, leases), new AutoResponseStore(redis, leases),
        new AutoResponseTimes(redis), new AlarmStore(redis, leases));
  }

  public Storage storage(Lease lease) {
    return new RedisRoomStorage(redis, leases, lease);
  }
}
