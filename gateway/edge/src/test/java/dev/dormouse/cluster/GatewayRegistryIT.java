package dev.dormouse.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.contract.RedisKeys;
import dev.dormouse.room.RoomKey;
import dev.dormouse.store.RedisConnector;
import dev.dormouse.store.RedisGatewayRecords;
import dev.dormouse.testing.EmbeddedRedisExtension;
import java.time.Duration;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedRedisExtension.class)
class GatewayRegistryIT {

  private static RedisConnector redis;

  @BeforeAll
  static void connect(RedisConnector connector) {
    redis = connector;
  }

  @Test
  void heartbeatsAppearAndKeepComing() {
    try (GatewayRegistry registry =
        new GatewayRegistry(
                new RedisGatewayRecords(redis),
                "gw-beating",
                Duration.ofMillis(100),
                Duration.ofMinutes(1),
                reapedAt -> {})
            .start()) {
      // start() beats before it returns.
      long first = Long.parseLong(redis.sync().hget(RedisKeys.GATEWAYS, "gw-beating"));
      assertThat(first).isCloseTo(System.currentTimeMillis(), Offset.offset(5_000L));

      await()
          .until(() -> Long.parseLong(redis.sync().hget(RedisKeys.GATEWAYS, "gw-beating")) > first);
      assertThat(registry.gatewayId()).isEqualTo("gw-beating");
    }
  }

  @Test
  void connectionsAreRecordedAndForgottenAndACleanCloseLeavesNoTrace() {
    String key = RedisKeys.gatewayConnections("gw-clean");
    GatewayRegistry registry =
        new GatewayRegistry(
                new RedisGatewayRecords(redis),
                "gw-clean",
                Duration.ofSeconds(2),
                Duration.ofMinutes(1),
                reapedAt -> {})
            .start();

    registry.connectionOpened(RoomKey.of("ns", "lobby"), "c1");
    registry.connectionOpened(new RoomKey("ns", "docs", "doc-7"), "c2");
    registry.connectionOpened(RoomKey.of("ns", "lobby"), "c3");
    registry.connectionClosed(RoomKey.of("ns", "lobby"), "c1");
    await().until(() -> redis.sync().smembers(key), members -> members.size() == 2);
    assertThat(redis.sync().smembers(key))
        .containsExactlyInAnyOrder("ns/docs/doc-7\tc2", "ns/lobby\tc3");

    registry.close();

    assertThat(redis.sync().exists(key)).isZero();
    assertThat(redis.sync().hexists(RedisKeys.GATEWAYS, "gw-clean")).isFalse();
  }
}
