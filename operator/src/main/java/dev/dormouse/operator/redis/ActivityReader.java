package dev.dormouse.operator.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dormouse.contract.ActivityReport;
import dev.dormouse.contract.RedisKeys;
import io.lettuce.core.RedisException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the activity reports owners publish and the connection counts gateways keep. */
public final class ActivityReader {

  private static final Logger LOG = LoggerFactory.getLogger(ActivityReader.class);

  private final RedisConnection redis;
  private final ObjectMapper json;
  private final Clock clock;

  public ActivityReader(RedisConnection redis, ObjectMapper json, Clock clock) {
    this.redis = redis;
    this.json = json;
    this.clock = clock;
  }

  public RoomActivity read(String namespace, String room) {
    try {
      Map<String, String> reports = redis.commands().hgetall(RedisKeys.activity(namespace, room));
      Map<String, String> counts =
          redis.commands().hgetall(RedisKeys.connectionCounts(namespace, room));
      return new RoomActivity(freshReports(reports), sum(counts), (int) nonZero(counts));
    } catch (RedisException e) {
      throw new RedisUnavailableException(
          "cannot read the activity of " + namespace + "/" + room, e);
    }
  }

  private Map<String, ActivityReport> freshReports(Map<String, String> encoded) {
    long now = clock.millis();
    Map<String, ActivityReport> fresh = new HashMap<>();
    encoded.forEach(
        (ownerId, text) -> {
          try {
            ActivityReport report = json.readValue(text, ActivityReport.class);
            if (!report.isStale(now)) {
              fresh.put(ownerId, report);
            }
          } catch (JsonProcessingException e) {
            // One owner writing garbage must not stop the room from being scaled on the others'
            // reports.
            LOG.warn(
                "Ignoring unreadable activity report of owner {}: {}",
                ownerId,
                e.getOriginalMessage());
          }
        });
    return fresh;
  }

  private static long sum(Map<String, String> counts) {
    return counts.values().stream().mapToLong(ActivityReader::count).sum();
  }

  private static long nonZero(Map<String, String> counts) {
    return counts.values().stream().filter(value -> count(value) > 0).count();
  }

  private static long count(String value) {
    try {
      return Math.max(0, Long.parseLong(value.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
