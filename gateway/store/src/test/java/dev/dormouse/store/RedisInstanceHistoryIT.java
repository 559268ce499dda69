package dev.dormouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dormouse.contract.RedisKeys;
import dev.dormouse.room.RoomKey;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Instances' sleeps and wakes on a real Redis: what the admin page reads back. */
class RedisInstanceHistoryIT {

  private static final RoomKey KEY = new RoomKey("default", "chat", "lobby");
  private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

  private EmbeddedRedis server;
  private RedisConnector redis;
  private RedisInstanceHistory history;

  @BeforeEach
  void start() throws Exception {
    server = EmbeddedRedis.start();
    redis = RedisConnector.connect(server.url());
    history = new RedisInstanceHistory(redis);
  }

  @AfterEach
  void stop() throws Exception {
    redis.close();
    server.close();
  }

  private static InstanceTransition woke(int second, String reason, Duration revival) {
    return InstanceTransition.woke(T0.plusSeconds(second), "owner-a", reason, revival);
  }

  /** Appends land in the background: waits until {@code key} shows {@code wakes}. */
  private HistoryView awaitWakes(RoomKey key, long wakes) {
    await().atMost(Duration.ofSeconds(10)).until(() -> history.read(key, 100).wakes() == wakes);
    return history.read(key, 100);
  }

  @Test
  void transitionsReadBackOldestFirstWithEveryFieldAndTheWakeCount() {
    history.append(KEY, woke(0, "connect", Duration.ofNanos(1_234_567)));
    history.append(KEY, InstanceTransition.hibernated(T0.plusSeconds(30), "owner-a", "idle"));
    history.append(KEY, woke(95, "message", Duration.ofMillis(12)));

    HistoryView view = awaitWakes(KEY, 2);

    assertThat(view.recent())
        .containsExactly(
            new InstanceTransition(
                T0,
                InstanceTransition.Kind.WOKE,
                "owner-a",
                "connect",
                Optional.of(Duration.ofNanos(1_234_567))),
            new InstanceTransition(
                T0.plusSeconds(30),
                InstanceTransition.Kind.HIBERNATED,
                "owner-a",
                "idle",
                Optional.empty()),
            new InstanceTransition(
                T0.plusSeconds(95),
                InstanceTransition.Kind.WOKE,
                "owner-a",
                "message",
                Optional.of(Duration.ofMillis(12))));
    assertThat(history.read(KEY, 1).recent())
        .extracting(InstanceTransition::reason)
        .containsExactly("message");
  }

  @Test
  void anInstanceKeepsItsLastFiftyTransitionsWhileItsWakeCountGoesOn() {
    IntStream.range(0, 60).forEach(i -> history.append(KEY, woke(i, "r" + i, Duration.ZERO)));

    HistoryView view = awaitWakes(KEY, 60);

    assertThat(view.recent()).hasSize(RedisInstanceHistory.MAX_ENTRIES);
    assertThat(view.recent().get(0).reason()).isEqualTo("r10");
    assertThat(history.read(KEY, 3).recent())
        .extracting(InstanceTransition::reason)
        .containsExactly("r57", "r58", "r59");
  }

  @Test
  void anInstanceNeverSeenHasNoHistoryAndInstancesDoNotMix() {
    history.append(KEY, woke(0, "connect", Duration.ZERO));
    awaitWakes(KEY, 1);

    HistoryView other = history.read(new RoomKey("default", "chat", "other"), 10);
    assertThat(other.wakes()).isZero();
    assertThat(other.recent()).isEmpty();
  }

  @Test
  void anEvictionOfAnInstanceWithoutHistoryStartsNoneSoADeletedRoomsEvictionsLeaveNothing() {
    RoomKey deleted = new RoomKey("default", "chat", "deleted");
    history.append(deleted, InstanceTransition.hibernated(T0, "owner-a", "lease lost"));
    history.append(KEY, woke(1, "connect", Duration.ZERO));
    awaitWakes(KEY, 1); // appended after the other, on the same connection: that one is done too

    assertThat(redis.sync().exists(RedisKeys.history(deleted), RedisKeys.wakes(deleted))).isZero();
  }

  @Test
  void bothKeysExpireAWeekAfterTheLastTransitionSoAbandonedInstancesDoNotStay() {
    history.append(KEY, woke(0, "connect", Duration.ZERO));
    awaitWakes(KEY, 1);
    redis.sync().pexpire(RedisKeys.history(KEY), 1_000);
    redis.sync().pexpire(RedisKeys.wakes(KEY), 1_000);

    history.append(KEY, InstanceTransition.hibernated(T0.plusSeconds(1), "owner-a", "idle"));

    long week = RedisInstanceHistory.EXPIRY.toMillis();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(redis.sync().pttl(RedisKeys.history(KEY))).isBetween(week - 60_000, week);
              assertThat(redis.sync().pttl(RedisKeys.wakes(KEY))).isBetween(week - 60_000, week);
            });
  }

  @Test
  void whileRedisSleepsAppendsReturnAtOnceAndLandWhenItWakes() throws Exception {
    CompletableFuture<String> stall = sleep(2);

    long started = System.nanoTime();
    IntStream.range(0, 10).forEach(i -> history.append(KEY, woke(i, "message", Duration.ZERO)));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(500));
    assertThat(stall).isNotDone();

    assertThat(stall.get(10, TimeUnit.SECONDS)).isEqualTo("OK");
    assertThat(awaitWakes(KEY, 10).recent()).hasSize(10);
  }

  @Test
  void pastTheBoundOfUnansweredAppendsNewOnesAreDroppedNotQueuedAndLaterOnesLandAgain()
      throws Exception {
    CompletableFuture<String> stall = sleep(2);

    int sent = RedisInstanceHistory.MAX_IN_FLIGHT + 500;
    IntStream.range(0, sent).forEach(i -> history.append(KEY, woke(i, "message", Duration.ZERO)));
    assertThat(stall.get(10, TimeUnit.SECONDS)).isEqualTo("OK");
    awaitWakes(KEY, RedisInstanceHistory.MAX_IN_FLIGHT);

    history.append(KEY, woke(sent, "after", Duration.ZERO));
    HistoryView view = awaitWakes(KEY, RedisInstanceHistory.MAX_IN_FLIGHT + 1L);
    assertThat(view.recent().get(view.recent().size() - 1).reason()).isEqualTo("after");
  }

  @Test
  void withRedisGoneAnAppendIsOnlyLoggedAndAReadFailsAsTheStoresOwnException() throws Exception {
    server.stop();

    assertThatCode(() -> history.append(KEY, woke(0, "connect", Duration.ZERO)))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> history.read(KEY, 10))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("reading the history of default/chat/lobby");
  }

  @Test
  void aLimitBelowOneIsRefused() {
    for (int limit : List.of(0, -1)) {
      assertThatThrownBy(() -> history.read(KEY, limit))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("limit must be at least 1, was " + limit);
    }
  }

  /**
   * {@code DEBUG SLEEP} over the history's own connection, so every append made after it queues
   * behind it: a stalled Redis, not a gone one.
   */
  private CompletableFuture<String> sleep(int seconds) {
    return redis
        .async()
        .dispatch(
            CommandType.DEBUG,
            new StatusOutput<>(StringCodec.UTF8),
            new CommandArgs<>(StringCodec.UTF8).add("SLEEP").add(seconds))
        .toCompletableFuture();
  }
}
