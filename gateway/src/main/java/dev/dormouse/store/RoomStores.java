package dev.dormouse.store;

import dev.dormouse.contract.RoomKey;
import dev.dormouse.room.Storage;

/** Everything the runtime keeps in Redis, over one connection. */
public record RoomStores(RedisConnector redis, ConnectionRegistry registry, AutoResponseStore autoResponses,
    AlarmStore alarms) {

  public static RoomStores over(RedisConnector redis) {
    return new RoomStores(redis, new ConnectionRegistry(redis), new AutoResponseStore(redis), new AlarmStore(redis));
  }

  public Storage storage(RoomKey key) {
    return new RedisRoomStorage(redis, key);
  }
}
