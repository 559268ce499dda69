package dev.dormouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dormouse.contract.RedisKeys;
import dev.dormouse.room.RoomKey;
import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.WsClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Graceful shutdown: clients get 1001, their rooms get close events, the registry is left clean. */
class ShutdownIT {

  static LocalRunFixture dormouse;

  @BeforeAll
  static void start() throws IOException {
    dormouse =
        LocalRunFixture.start(LocalRunFixture.room("probe", "dev.dormouse.testing.ProbeRoom", ""));
  }

  @AfterAll
  static void stop() throws Exception {
    dormouse.close();
  }

  @Test
  void clientsGet1001AndRoomsHearOfIt() throws IOException {
    WsClient ann = WsClient.connect(dormouse.ws("/rooms/probe?name=ann"));
    WsClient bob = WsClient.connect(dormouse.ws("/rooms/probe?name=bob"));
    ann.send("hello");
    assertThat(ann.nextText()).isEqualTo("echo:hello");

    dormouse.stopRun();

    for (WsClient client : List.of(ann, bob)) {
      WsClient.Close close = client.awaitClose();
      assertThat(close.code()).isEqualTo(1001);
      assertThat(close.reason()).isEqualTo("Gateway shutting down");
    }
    RoomKey key = RoomKey.of("default", "probe");
    RedisClient client = RedisClient.create(dormouse.redis().url());
    try (StatefulRedisConnection<String, String> redis = client.connect()) {
      Map<String, String> storage = redis.sync().hgetall(RedisKeys.storage(key));
      assertThat(storage)
          .containsEntry("closed:ann", "1001 true")
          .containsEntry("closed:bob", "1001 true");
      assertThat(redis.sync().hlen(RedisKeys.connections(key))).as("no ghost connections").isZero();
    } finally {
      client.shutdown();
    }
  }
}
