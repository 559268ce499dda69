package dev.dormouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dormouse.room.RoomKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A gateway reads who holds the leases the owners took, on a real Redis. */
class RedisLeaseHoldersIT {

  private static final RoomKey HELD = new RoomKey("default", "chat", "held");
  private static final RoomKey FREE = new RoomKey("default", "chat", "free");

  private EmbeddedRedis server;
  private RedisConnector redis;

  @BeforeEach
  void start() throws Exception {
    server = EmbeddedRedis.start();
    redis = RedisConnector.connect(server.url());
  }

  @AfterEach
  void stop() throws Exception {
    redis.close();
    server.close();
  }

  @Test
  void theHolderOfEachHeldKeyAndNothingForAFreeOne() {
    new RedisLeaseStore(redis, Duration.ofSeconds(30)).acquire(HELD, "owner-7");

    Map<RoomKey, String> holders =
        new RedisLeaseHolders(redis).holders(List.of(HELD, FREE)).toCompletableFuture().join();

    assertThat(holders).containsExactly(Map.entry(HELD, "owner-7"));
  }

  @Test
  void redisGoneFailsTheReadInsteadOfAnsweringNobody() throws Exception {
    server.stop();

    assertThatThrownBy(
            () -> new RedisLeaseHolders(redis).holders(List.of(HELD)).toCompletableFuture().join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(StoreUnavailableException.class);
  }
}
