package dev.dormouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.contract.RedisKeys;
import dev.dormouse.gateway.EdgeSettings;
import dev.dormouse.room.RoomKey;
import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.RawWebSocket;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A shutdown finishes within its drain timeout whatever the clients do: those that never answer
 * the close are dropped in time and their room is told, half handshakes and silent connections are
 * cut. The gateway's own timeouts are long here, so only the drain can end them.
 */
class DrainIT {

  static final Duration LONG = Duration.ofSeconds(60);

  /** LocalRun's gateway drain, then its owner drain on an idle owner, then stopping. */
  static final Duration SHUTDOWN_BOUND = Duration.ofSeconds(8);

  static LocalRunFixture dormouse;

  @BeforeAll
  static void start() throws IOException {
    dormouse =
        LocalRunFixture.start(
            new EdgeSettings(LONG, LONG, LONG, 1000, 8192),
            LocalRunFixture.room("probe", "dev.dormouse.testing.ProbeRoom", ""));
  }

  @AfterAll
  static void stop() throws Exception {
    dormouse.close();
  }

  @Test
  void shutdownFinishesInTimeWithClientsThatNeverAnswer() throws Exception {
    List<RawWebSocket> deaf = new ArrayList<>();
    List<Socket> half = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      RawWebSocket raw =
          RawWebSocket.open(dormouse.run().gatewayAddress(), "GET", "/rooms/probe?name=deaf" + i);
      assertThat(raw.status()).isEqualTo(101);
      deaf.add(raw);
      Socket started = RawWebSocket.connect(dormouse.run().gatewayAddress());
      started
          .getOutputStream()
          .write("GET /rooms/probe HTTP/1.1\r\nHost: x".getBytes(StandardCharsets.US_ASCII));
      half.add(started);
      half.add(RawWebSocket.connect(dormouse.run().gatewayAddress()));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> dormouse.run().connections().size() == 10);

    long begun = System.nanoTime();
    dormouse.stopRun();
    assertThat(Duration.ofNanos(System.nanoTime() - begun)).isLessThan(SHUTDOWN_BOUND);

    for (RawWebSocket client : deaf) {
      assertThat(client.readUntilClose().closeCode()).isEqualTo(1001);
      assertThat(client.serverClosedConnection()).isTrue();
    }
    for (Socket socket : half) {
      assertThat(RawWebSocket.closedByServer(socket)).isTrue();
      socket.close();
    }
    RedisClient client = RedisClient.create(dormouse.redis().url());
    try (StatefulRedisConnection<String, String> redis = client.connect()) {
      String storage = RedisKeys.storage(RoomKey.of("default", "probe"));
      for (int i = 0; i < 10; i++) {
        assertThat(redis.sync().hget(storage, "closed:deaf" + i))
            .as("the room heard of deaf%d", i)
            .isEqualTo("1001 false");
      }
      assertThat(redis.sync().hlen(RedisKeys.connections(RoomKey.of("default", "probe")))).isZero();
    } finally {
      client.shutdown();
    }
    for (RawWebSocket raw : deaf) {
      raw.close();
    }
  }
}
