package dev.dormouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.store.EmbeddedRedis;
import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.WsClient;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Redis gone: rooms in memory keep serving, new connections get 503, a sleeping room's events wait
 * for the wake timeout and then close with 1013 — and service resumes when Redis is back.
 */
class RedisOutageIT {

  static LocalRunFixture dormouse;

  @BeforeAll
  static void start() throws IOException {
    dormouse =
        LocalRunFixture.start(
            Duration.ofSeconds(2),
            LocalRunFixture.room("echo", "echo", ""),
            LocalRunFixture.room(
                "probe",
                "dev.dormouse.testing.ProbeRoom",
                """
            hibernation:
              idleTimeout: 300ms
            """));
  }

  @AfterAll
  static void stop() throws Exception {
    dormouse.close();
  }

  @Test
  void survivesRedisGoingAwayAndComingBack() throws IOException {
    WsClient active = WsClient.connect(dormouse.ws("/rooms/echo"));
    active.send("before");
    assertThat(active.nextText()).isEqualTo("before");
    WsClient sleeper = WsClient.connect(dormouse.ws("/rooms/probe?name=s"));
    double evictions = dormouse.run().metrics().evictions();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                dormouse.run().metrics().evictions() > evictions
                    && !dormouse
                        .run()
                        .runtime()
                        .isActive(new dev.dormouse.room.RoomKey("default", "probe", "")));
    int port = dormouse.redis().port();
    dormouse.redis().stop();

    active.send("during");
    assertThat(active.nextText())
        .as("an instance in memory needs no Redis to echo")
        .isEqualTo("during");
    assertThat(WsClient.refusedStatus(dormouse.ws("/rooms/echo"), Map.of())).isEqualTo(503);
    sleeper.send("wake up");
    WsClient.Close closed = sleeper.awaitClose();
    assertThat(closed.code()).isEqualTo(1013);
    assertThat(closed.reason()).contains("try again later");
    assertThat(dormouse.run().metrics().errors("activation")).isPositive();

    try (EmbeddedRedis back = EmbeddedRedis.start(port)) {
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                WsClient fresh = WsClient.connect(dormouse.ws("/rooms/probe?name=fresh"));
                fresh.send("hello");
                assertThat(fresh.nextText()).isEqualTo("echo:hello");
              });
      assertThat(active.isClosed()).isFalse();
    }
  }
}
