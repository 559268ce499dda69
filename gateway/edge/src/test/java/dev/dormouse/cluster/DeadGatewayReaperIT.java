package dev.dormouse.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.admin.Metrics;
import dev.dormouse.contract.RedisKeys;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.link.RoomEventSink;
import dev.dormouse.room.RoomKey;
import dev.dormouse.store.ConnectionCounts;
import dev.dormouse.store.RedisConnector;
import dev.dormouse.store.RedisGatewayRecords;
import dev.dormouse.testing.EmbeddedRedisExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedRedisExtension.class)
class DeadGatewayReaperIT {

  private static final Duration INTERVAL = Duration.ofMillis(100);
  private static final Duration DEAD_AFTER = Duration.ofSeconds(2);

  private static RedisConnector redis;

  private final List<AutoCloseable> started = new ArrayList<>();

  /** Stands in for the router: records the events; the test completes them as the owner would. */
  private static final class RecordingSink implements RoomEventSink {

    final List<RoomEvent.Close> closes = new CopyOnWriteArrayList<>();
    private final boolean handleAtOnce;

    RecordingSink(boolean handleAtOnce) {
      this.handleAtOnce = handleAtOnce;
    }

    @Override
    public boolean offer(RoomEvent event) {
      RoomEvent.Close close = (RoomEvent.Close) event;
      closes.add(close);
      if (handleAtOnce) {
        close.done().complete(null);
      }
      return true;
    }
  }

  @BeforeAll
  static void connect(RedisConnector connector) {
    redis = connector;
  }

  @BeforeEach
  void emptyRedis() {
    redis.sync().flushall();
  }

  @AfterEach
  void stopStarted() throws Exception {
    for (AutoCloseable closeable : started) {
      closeable.close();
    }
  }

  @Test
  void aSilentGatewaysConnectionsAreClosedInTheirRoomsThenItIsForgotten() {
    deadGateway("gw-dead", "ns/lobby\tc1", "ns/lobby\tc2", "ns/docs/doc-7\tc3");
    // A message published to one of its connections, which it will never read.
    redis.sync().xadd(RedisKeys.gatewayPublished("gw-dead"), "c", "gw-dead.1");
    // What the dead gateway had counted in, plus one connection of a live gateway in the lobby.
    redis.sync().hset(RedisKeys.connectionCounts("ns", "lobby"), "", "3");
    redis.sync().hset(RedisKeys.connectionCounts("ns", "docs"), "doc-7", "1");
    RecordingSink sink = new RecordingSink(true);
    Metrics metrics = new Metrics();

    reaper("gw-live", sink, metrics);

    await().until(() -> redis.sync().hexists(RedisKeys.GATEWAYS, "gw-dead"), exists -> !exists);
    await()
        .until(
            () ->
                "1".equals(redis.sync().hget(RedisKeys.connectionCounts("ns", "lobby"), ""))
                    && "0"
                        .equals(
                            redis.sync().hget(RedisKeys.connectionCounts("ns", "docs"), "doc-7")));
    assertThat(redis.sync().exists(RedisKeys.gatewayConnections("gw-dead"))).isZero();
    assertThat(redis.sync().exists(RedisKeys.gatewayPublished("gw-dead"))).isZero();
    assertThat(sink.closes)
        .hasSize(3)
        .allSatisfy(
            close -> {
              assertThat(close.gatewayId()).isEqualTo("gw-dead");
              assertThat(close.code()).isEqualTo(1006);
              assertThat(close.reason()).isEqualTo("gateway lost");
              assertThat(close.wasClean()).isFalse();
              assertThat(close.roomInitiated()).isFalse();
            });
    assertThat(sink.closes)
        .extracting(close -> close.key() + " " + close.connectionId())
        .containsExactlyInAnyOrder("ns/lobby c1", "ns/lobby c2", "ns/docs/doc-7 c3");
    assertThat(sink.closes)
        .filteredOn(close -> close.connectionId().equals("c3"))
        .extracting(RoomEvent.Close::key)
        .containsExactly(new RoomKey("ns", "docs", "doc-7"));
    assertThat(metrics.registry().get("dormouse_gateway_lost_connections").counter().count())
        .isEqualTo(3);
  }

  @Test
  void aConnectionStaysListedUntilItsRoomHasHandledTheCloseAndIsOfferedOnce() {
    String key = RedisKeys.gatewayConnections("gw-dead");
    deadGateway("gw-dead", "ns/lobby\tc1", "ns/lobby\tc2");
    RecordingSink sink = new RecordingSink(false);

    reaper("gw-live", sink, new Metrics());

    await().until(() -> sink.closes.size() == 2);
    // Many rounds later: not offered again, and nothing removed before the room handled it.
    await()
        .during(Duration.ofMillis(600))
        .atMost(Duration.ofSeconds(5))
        .until(() -> sink.closes.size() == 2 && redis.sync().scard(key) == 2);

    sink.closes.get(0).done().complete(null);
    await().until(() -> redis.sync().scard(key) == 1);
    assertThat(redis.sync().hexists(RedisKeys.GATEWAYS, "gw-dead")).isTrue();

    sink.closes.get(1).done().complete(null);
    await().until(() -> redis.sync().hexists(RedisKeys.GATEWAYS, "gw-dead"), exists -> !exists);
    assertThat(sink.closes).hasSize(2);
  }

  @Test
  void aLiveGatewayIsNotReaped() {
    GatewayRegistry live =
        new GatewayRegistry(
                new RedisGatewayRecords(redis),
                "gw-alive",
                Duration.ofMillis(200),
                Duration.ofMinutes(1),
                reapedAt -> {})
            .start();
    started.add(live);
    live.connectionOpened(RoomKey.of("ns", "lobby"), "c1");
    deadGateway("gw-dead", "ns/lobby\tc9");
    RecordingSink sink = new RecordingSink(true);

    reaper("gw-reaper", sink, new Metrics());

    await().until(() -> redis.sync().hexists(RedisKeys.GATEWAYS, "gw-dead"), exists -> !exists);
    // Well past deadAfter since the live gateway's start: it beats, so it stays.
    await()
        .during(DEAD_AFTER.plusSeconds(1))
        .atMost(DEAD_AFTER.plusSeconds(5))
        .until(() -> sink.closes.stream().noneMatch(close -> close.gatewayId().equals("gw-alive")));
    assertThat(redis.sync().smembers(RedisKeys.gatewayConnections("gw-alive")))
        .containsExactly("ns/lobby\tc1");
    assertThat(sink.closes).extracting(RoomEvent.Close::connectionId).containsExactly("c9");
  }

  /** A gateway only paused past deadAfter (GC, SIGSTOP, a partition) learns on its next beat that it was reaped. */
  @Test
  void aGatewayTakenForDeadLearnsItWhenItBeatsAgain() {
    deadGateway("gw-paused", "ns/lobby\tc1");
    RecordingSink sink = new RecordingSink(false);
    reaper("gw-reaper", sink, new Metrics());
    await().until(() -> sink.closes.size() == 1);
    long reapedBy = System.currentTimeMillis();

    List<Instant> told = new CopyOnWriteArrayList<>();
    GatewayRegistry resumed =
        new GatewayRegistry(
                new RedisGatewayRecords(redis),
                "gw-paused",
                Duration.ofMillis(100),
                Duration.ofMinutes(1),
                told::add)
            .start();
    started.add(resumed);

    await().until(() -> told.size() == 1);
    assertThat(told.get(0).toEpochMilli()).isLessThanOrEqualTo(reapedBy);
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> told.size() == 1);
  }

  @Test
  void oneReaperActsAtATimeAndAnotherTakesOverWhenItStops() {
    RecordingSink first = new RecordingSink(true);
    RecordingSink second = new RecordingSink(true);
    DeadGatewayReaper a = reaper("gw-a", first, new Metrics());
    DeadGatewayReaper b = reaper("gw-b", second, new Metrics());

    deadGateway("gw-dead-1", "ns/lobby\tc1", "ns/lobby\tc2", "ns/lobby\tc3");
    await().until(() -> redis.sync().hexists(RedisKeys.GATEWAYS, "gw-dead-1"), exists -> !exists);

    assertThat(first.closes.size() + second.closes.size()).isEqualTo(3);
    boolean firstActed = !first.closes.isEmpty();
    RecordingSink acted = firstActed ? first : second;
    RecordingSink idle = firstActed ? second : first;
    assertThat(acted.closes).hasSize(3);
    assertThat(redis.sync().get(RedisKeys.REAPER_LOCK)).isEqualTo(firstActed ? "gw-a" : "gw-b");

    (firstActed ? a : b).close(); // releases the lock at once
    await()
        .until(
            () -> redis.sync().get(RedisKeys.REAPER_LOCK),
            holder -> (firstActed ? "gw-b" : "gw-a").equals(holder));
    deadGateway("gw-dead-2", "ns/hall\tc4");
    await().until(() -> redis.sync().hexists(RedisKeys.GATEWAYS, "gw-dead-2"), exists -> !exists);
    assertThat(idle.closes).extracting(RoomEvent.Close::connectionId).containsExactly("c4");
    assertThat(acted.closes).hasSize(3);
  }

  private DeadGatewayReaper reaper(String gatewayId, RoomEventSink sink, Metrics metrics) {
    DeadGatewayReaper reaper =
        new DeadGatewayReaper(
                new RedisGatewayRecords(redis),
                new ConnectionCounts(redis)::closed,
                gatewayId,
                sink,
                metrics,
                INTERVAL,
                DEAD_AFTER)
            .start();
    started.add(reaper);
    return reaper;
  }

  /** What a gateway that died a minute ago leaves behind. */
  private static void deadGateway(String gatewayId, String... members) {
    redis.sync().sadd(RedisKeys.gatewayConnections(gatewayId), members);
    redis
        .sync()
        .hset(RedisKeys.GATEWAYS, gatewayId, Long.toString(System.currentTimeMillis() - 60_000));
  }
}
