package dev.dormouse.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dormouse.contract.RedisKeys;
import dev.dormouse.room.RoomKey;
import dev.dormouse.store.EmbeddedRedis;
import dev.dormouse.store.RedisConnector;
import dev.dormouse.store.RedisGatewayRecords;
import dev.dormouse.testing.EmbeddedRedisExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The end of a shutdown: sockets the drain gave up on close on their I/O threads after the registry
 * forgot the gateway and its Redis client stopped. (One server: the topology plays no part.)
 */
@ExtendWith(EmbeddedRedisExtension.class)
class GatewayRegistryShutdownIT {

  @Test
  void aConnectionClosingAfterTheGatewayStoppedLeavesRedisAlone(
      EmbeddedRedis server, RedisConnector redis) {
    RedisConnector own = RedisConnector.connect(server.url());
    GatewayRegistry registry =
        new GatewayRegistry(
                new RedisGatewayRecords(own),
                "gw-stopped",
                Duration.ofSeconds(2),
                Duration.ofMinutes(1),
                reapedAt -> {})
            .start();
    registry.connectionOpened(RoomKey.of("ns", "lobby"), "late");
    registry.close();
    own.close();

    assertThat(registry.connectionClosed(RoomKey.of("ns", "lobby"), "late").toCompletableFuture())
        .as("nothing left to forget: close() removed the gateway's records")
        .isCompletedWithValue(false);
    assertThat(redis.sync().exists(RedisKeys.gatewayConnections("gw-stopped"))).isZero();
  }
}
