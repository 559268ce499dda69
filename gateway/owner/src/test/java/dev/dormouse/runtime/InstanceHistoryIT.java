package dev.dormouse.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.admin.Metrics;
import dev.dormouse.config.RoomSettings;
import dev.dormouse.config.StaticRoomCatalog;
import dev.dormouse.contract.RedisKeys;
import dev.dormouse.crd.v1alpha1.Hibernation;
import dev.dormouse.crd.v1alpha1.WebSocketRoom;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.room.Message;
import dev.dormouse.room.RoomKey;
import dev.dormouse.store.HistoryView;
import dev.dormouse.store.InstanceTransition;
import dev.dormouse.store.RedisConnector;
import dev.dormouse.store.RedisInstanceHistory;
import dev.dormouse.store.RoomStores;
import dev.dormouse.testing.EmbeddedRedisExtension;
import dev.dormouse.testing.RedisNodes;
import dev.dormouse.testing.RedisStall;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The owner records each instance's sleeps and wakes in Redis, as the admin page shows them: an
 * instance that hibernated and was revived, and a Redis that stalls while instances go to sleep.
 */
@ExtendWith(EmbeddedRedisExtension.class)
class InstanceHistoryIT {

  private static final String OWNER = "owner-h";
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  static RedisNodes nodes;
  static RedisConnector redis;
  static StaticRoomCatalog catalog;

  @BeforeAll
  static void start(RedisNodes redisNodes, RedisConnector connection) {
    nodes = redisNodes;
    redis = connection;
    WebSocketRoom room = new WebSocketRoom();
    room.setMetadata(new ObjectMetaBuilder().withName("probe").withNamespace("default").build());
    room.getSpec().setHandler("dev.dormouse.testing.ProbeRoom");
    room.getSpec().setInstances(true);
    Hibernation hibernation = new Hibernation();
    hibernation.setIdleTimeout("1s");
    room.getSpec().setHibernation(hibernation);
    catalog = new StaticRoomCatalog(List.of(RoomSettings.of(room)));
  }

  private final RecordingClientSink sink = new RecordingClientSink();
  private final Metrics metrics = new Metrics();
  private final RedisInstanceHistory history = new RedisInstanceHistory(redis);
  private RoomRuntime owner;

  @BeforeEach
  void startOwner() {
    owner =
        new RoomRuntime(
            OWNER,
            catalog,
            HandlerResolver.forLibrary(
                Path.of("no-room-library"), InstanceHistoryIT.class.getClassLoader()),
            RoomStores.over(redis, Duration.ofSeconds(30)),
            sink,
            metrics,
            2,
            Duration.ofSeconds(5),
            () -> 1);
  }

  @AfterEach
  void stopOwner() {
    owner.close();
  }

  private static RoomKey freshKey() {
    return new RoomKey("default", "probe", "h" + INSTANCES.incrementAndGet());
  }

  private void send(RoomKey key, String connectionId, String text) {
    owner.offer(
        new RoomEvent.Incoming(
            key, "gw", connectionId, Message.text(text), new CompletableFuture<>()));
  }

  private HistoryView awaitHistory(RoomKey key, InstanceTransition.Kind... kinds) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> history.read(key, 10).recent().stream().map(InstanceTransition::kind).toList(),
            List.of(kinds)::equals);
    return history.read(key, 10);
  }

  @Test
  void aRoomHibernatedAndRevivedShowsWokeHibernatedWokeWithTwoWakesAndItsRevivalTime() {
    RoomKey key = freshKey();
    assertThat(SingleActivationIT.connect(owner, key, "c1").accepted()).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> !owner.isActive(key));
    send(key, "c1", "hello");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> sink.sent.stream().anyMatch(s -> s.text().equals("echo:hello")));

    HistoryView view =
        awaitHistory(
            key,
            InstanceTransition.Kind.WOKE,
            InstanceTransition.Kind.HIBERNATED,
            InstanceTransition.Kind.WOKE);

    assertThat(view.wakes()).isEqualTo(2);
    assertThat(view.recent()).extracting(InstanceTransition::owner).containsOnly(OWNER);
    assertThat(view.recent())
        .extracting(InstanceTransition::reason)
        .containsExactly("connect", "idle", "message");
    assertThat(view.recent().get(1).revival()).isEmpty();
    // The revival is the very measurement dormouse_revival took: its only revival with sockets.
    Duration revival = view.recent().get(2).revival().orElseThrow();
    assertThat(revival).isPositive();
    assertThat(metrics.registry().get("dormouse_revival").timer().totalTime(TimeUnit.NANOSECONDS))
        .isEqualTo((double) revival.toNanos());
    assertThat(view.recent().get(0).at()).isBefore(view.recent().get(1).at());
    assertThat(view.recent().get(1).at()).isBeforeOrEqualTo(view.recent().get(2).at());
  }

  @Test
  void whileRedisStallsInstancesStillGoToSleepAndTheirHistoryLandsAfterwards() throws Exception {
    RoomKey first = freshKey();
    RoomKey second = freshKey();
    assertThat(SingleActivationIT.connect(owner, first, "c1").accepted()).isTrue();
    assertThat(SingleActivationIT.connect(owner, second, "c2").accepted()).isTrue();

    try (RedisStall stalling = new RedisStall(nodes.urlOfNodeHolding(RedisKeys.history(first)))) {
      CompletableFuture<String> stall = stalling.sleep(5);
      // Both idle out and leave memory while Redis sleeps: the history of the first holds no
      // thread.
      await()
          .atMost(Duration.ofSeconds(4))
          .until(() -> !owner.isActive(first) && !owner.isActive(second));
      assertThat(stall).isNotDone();
      assertThat(stall.get(15, TimeUnit.SECONDS)).isEqualTo("OK");
    }

    for (RoomKey key : List.of(first, second)) {
      HistoryView view =
          awaitHistory(key, InstanceTransition.Kind.WOKE, InstanceTransition.Kind.HIBERNATED);
      assertThat(view.recent().get(1).reason()).isEqualTo("idle");
      assertThat(view.recent().get(1).revival()).isEqualTo(Optional.empty());
    }
  }
}
