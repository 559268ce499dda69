package dev.dormouse.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dormouse.contract.ActivityReport;
import dev.dormouse.contract.RedisKeys;
import dev.dormouse.room.RoomKey;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** {@link RoomInspection} on Redis: the counts, activity, connection, lease and alarm keys. */
public final class RedisRoomInspection implements RoomInspection {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final RedisConnector redis;

  public RedisRoomInspection(RedisConnector redis) {
    this.redis = redis;
  }

  @Override
  public Map<String, Long> instances(String namespace, String room) {
    Map<String, Long> counts = new TreeMap<>();
    RedisCalls.call(
            "reading the connection counts of " + namespace + "/" + room,
            () -> redis.sync().hgetall(RedisKeys.connectionCounts(namespace, room)))
        .forEach((instance, count) -> counts.put(instance, Long.parseLong(count)));
    return counts;
  }

  @Override
  public Map<String, ActivityReport> activity(String namespace, String room) {
    Map<String, ActivityReport> reports = new TreeMap<>();
    RedisCalls.call(
            "reading the activity of " + namespace + "/" + room,
            () -> redis.sync().hgetall(RedisKeys.activity(namespace, room)))
        .forEach(
            (owner, json) -> {
              try {
                reports.put(owner, JSON.readValue(json, ActivityReport.class));
              } catch (JsonProcessingException e) {
                // One owner's unreadable report (another version's) hides only that report; the
                // operator reads the same hash and says so.
              }
            });
    return reports;
  }

  @Override
  public InstanceRecord instance(RoomKey key) {
    Map<String, Integer> byGateway = new TreeMap<>();
    RedisCalls.call(
            "reading the connections of " + key,
            () -> redis.sync().hgetall(RedisKeys.connections(key)))
        .values()
        .forEach(
            record ->
                byGateway.merge(ConnectionRecord.decode(record).gatewayId(), 1, Integer::sum));
    Optional<String> holder =
        Optional.ofNullable(
                RedisCalls.call(
                    "reading the lease of " + key, () -> redis.sync().get(RedisKeys.lease(key))))
            .map(Lease::holderOf);
    Optional<Long> alarm =
        Optional.ofNullable(
                RedisCalls.call(
                    "reading the alarm of " + key, () -> redis.sync().get(RedisKeys.alarm(key))))
            .map(value -> AlarmRecord.decode(value).dueMillis());
    return new InstanceRecord(byGateway, holder, alarm);
  }
}
