package dev.dormouse.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.contract.RedisKeys;
import dev.dormouse.operator.redis.RedisConnection;
import dev.dormouse.operator.redis.RoomKeyCleaner;
import dev.dormouse.room.RoomKey;
import dev.dormouse.store.EmbeddedRedis;
import dev.dormouse.store.InstanceTransition;
import dev.dormouse.store.RedisConnector;
import dev.dormouse.store.RedisInstanceHistory;
import dev.dormouse.testing.EmbeddedRedisExtension;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A deleted room's keys go from a real Redis, its instances' history among them, and only its; the
 * eviction of an instance still in memory at the time does not bring its history back.
 */
@ExtendWith(EmbeddedRedisExtension.class)
class RoomKeyCleanerIT {

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
  void aDeletedRoomsInstanceHistoryGoesWithItsOtherKeysAndAnotherRoomsStays(RedisConnector store) {
    RoomKey lobby = new RoomKey("ns", "chat", "lobby");
    RoomKey other = new RoomKey("ns", "chat2", "lobby");
    RedisInstanceHistory history = new RedisInstanceHistory(store);
    for (RoomKey key : new RoomKey[] {lobby, other}) {
      history.append(
          key, InstanceTransition.woke(Instant.now(), "owner-a", "connect", Duration.ofMillis(3)));
      history.append(key, InstanceTransition.hibernated(Instant.now(), "owner-a", "idle"));
    }
    redis.commands().hset(RedisKeys.connections(lobby), "gw.1", "record");
    await().until(() -> history.read(lobby, 10).recent().size() == 2);
    await().until(() -> history.read(other, 10).recent().size() == 2);

    long removed = new RoomKeyCleaner(redis).clean("ns", "chat");

    assertThat(removed).isEqualTo(3);
    assertThat(redis.commands().exists(RedisKeys.history(lobby), RedisKeys.wakes(lobby))).isZero();
    assertThat(history.read(other, 10).wakes()).isEqualTo(1);

    // Its instance, still in memory at its owner, leaves it once its lease is found gone.
    history.append(lobby, InstanceTransition.hibernated(Instant.now(), "owner-a", "lease lost"));
    history.append(other, InstanceTransition.hibernated(Instant.now(), "owner-a", "idle"));
    await().until(() -> history.read(other, 10).recent().size() == 3);
    assertThat(redis.commands().exists(RedisKeys.history(lobby), RedisKeys.wakes(lobby))).isZero();
  }
}
