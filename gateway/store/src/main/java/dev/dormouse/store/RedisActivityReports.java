package dev.dormouse.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dormouse.contract.ActivityReport;
import dev.dormouse.contract.RedisKeys;
import dev.dormouse.room.RoomKey;
import java.io.UncheckedIOException;

/** Activity reports in Redis: one hash per room, owner id to its report as JSON, which the operator reads. */
public final class RedisActivityReports implements ActivityReports {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final RedisConnector redis;

  public RedisActivityReports(RedisConnector redis) {
    this.redis = redis;
  }

  @Override
  public void report(RoomKey room, String ownerId, ActivityReport report) {
    String json;
    try {
      json = JSON.writeValueAsString(report);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    RedisCalls.call(
        "reporting activity of " + room.roomPath(),
        () -> redis.sync().hset(RedisKeys.activity(room.namespace(), room.room()), ownerId, json));
  }

  @Override
  public void withdraw(RoomKey room, String ownerId) {
    RedisCalls.call(
        "withdrawing activity of " + room.roomPath(),
        () -> redis.sync().hdel(RedisKeys.activity(room.namespace(), room.room()), ownerId));
  }
}
