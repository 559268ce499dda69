package dev.dormouse.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dormouse.contract.ActivityReport;
import dev.dormouse.contract.RedisKeys;
import dev.dormouse.operator.redis.ActivityReader;
import dev.dormouse.operator.redis.RedisConnection;
import dev.dormouse.operator.redis.RoomActivity;
import dev.dormouse.store.EmbeddedRedis;
import dev.dormouse.testing.EmbeddedRedisExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedRedisExtension.class)
class ActivityReaderIT {

  private static final long NOW = Instant.parse("2026-01-01T12:00:00Z").toEpochMilli();

  private static RedisConnection redis;

  @BeforeAll
  static void start(EmbeddedRedis server) {
    redis = RedisConnection.connect(server.url(), Duration.ofSeconds(5));
  }

  @AfterAll
  static void stop() {
    redis.close();
  }

  @Test
  void staleAndUnreadableReportsAreIgnoredAndCountsSummed() {
    var commands = redis.commands();
    String activity = RedisKeys.activity("ns", "r");
    commands.hset(
        activity,
        "fresh",
        "{\"activeInstances\":3,\"lastActivity\":"
            + (NOW - 500)
            + ",\"updatedAt\":"
            + (NOW - 1000)
            + ",\"futureField\":true}");
    commands.hset(
        activity,
        "dead",
        "{\"activeInstances\":7,\"lastActivity\":"
            + NOW
            + ",\"updatedAt\":"
            + (NOW - ActivityReport.STALE_AFTER_MILLIS - 1)
            + "}");
    commands.hset(activity, "garbage", "not json");
    String counts = RedisKeys.connectionCounts("ns", "r");
    commands.hset(counts, "a", "4");
    commands.hset(counts, "b", "0");
    commands.hset(counts, "c", "2");

    ObjectMapper json =
        new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    RoomActivity read =
        new ActivityReader(redis, json, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC))
            .read("ns", "r");

    assertThat(read.reports()).containsOnlyKeys("fresh");
    assertThat(read.activeInstances()).isEqualTo(3);
    assertThat(read.lastActivity()).contains(Instant.ofEpochMilli(NOW - 500));
    assertThat(read.connections()).isEqualTo(6);
    assertThat(read.instancesWithConnections()).isEqualTo(2);
  }
}
