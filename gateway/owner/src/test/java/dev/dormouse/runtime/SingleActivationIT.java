package dev.dormouse.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.admin.Metrics;
import dev.dormouse.config.RoomSettings;
import dev.dormouse.config.StaticRoomCatalog;
import dev.dormouse.contract.RedisKeys;
import dev.dormouse.crd.v1alpha1.WebSocketRoom;
import dev.dormouse.link.ConnectOutcome;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.room.ConnectRequest;
import dev.dormouse.room.Message;
import dev.dormouse.room.RoomKey;
import dev.dormouse.store.RedisConnector;
import dev.dormouse.store.RoomStores;
import dev.dormouse.testing.EmbeddedRedisExtension;
import dev.dormouse.testing.RedisNodes;
import dev.dormouse.testing.RedisStall;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two owners over one Redis: only the lease holder runs a room key; a stale owner cannot write. */
@ExtendWith(EmbeddedRedisExtension.class)
class SingleActivationIT {

  static RedisNodes redis;
  static RedisConnector connector;
  static StaticRoomCatalog catalog;

  @BeforeAll
  static void start(RedisNodes nodes, RedisConnector connection) {
    redis = nodes;
    connector = connection;
    WebSocketRoom room = new WebSocketRoom();
    room.setMetadata(new ObjectMetaBuilder().withName("probe").withNamespace("default").build());
    room.getSpec().setHandler("dev.dormouse.testing.ProbeRoom");
    room.getSpec().setInstances(true);
    catalog = new StaticRoomCatalog(List.of(RoomSettings.of(room)));
  }

  static RoomRuntime owner(String id, RecordingClientSink sink, Metrics metrics) {
    return owner(id, sink, metrics, Duration.ofSeconds(30));
  }

  static RoomRuntime owner(
      String id, RecordingClientSink sink, Metrics metrics, Duration leaseTtl) {
    return new RoomRuntime(
        id,
        catalog,
        HandlerResolver.forLibrary(
            Path.of("no-room-library"), SingleActivationIT.class.getClassLoader()),
        RoomStores.over(connector, leaseTtl),
        sink,
        metrics,
        2,
        Duration.ofSeconds(5),
        () -> 1);
  }

  static ConnectOutcome connect(RoomRuntime owner, RoomKey key, String connectionId) {
    CompletableFuture<ConnectOutcome> outcome = new CompletableFuture<>();
    owner.offer(
        new RoomEvent.Connect(
            key,
            "gw",
            connectionId,
            new ConnectRequest("/", Map.of("name", List.of(connectionId)), Map.of(), "", Map.of()),
            outcome));
    return outcome.join();
  }

  static RoomEvent.Incoming message(RoomKey key, String connectionId, String text) {
    return new RoomEvent.Incoming(
        key, "gw", connectionId, Message.text(text), new CompletableFuture<>());
  }

  @Test
  void onlyTheLeaseHolderHandlesEventsTheOtherHandsThemBack() {
    RoomKey key = new RoomKey("default", "probe", "one");
    RecordingClientSink sinkA = new RecordingClientSink();
    RecordingClientSink sinkB = new RecordingClientSink();
    Metrics metricsB = new Metrics();
    RoomRuntime a = owner("owner-a", sinkA, new Metrics());
    RoomRuntime b = owner("owner-b", sinkB, metricsB);
    try {
      assertThat(connect(a, key, "c1").accepted()).isTrue();

      RoomEvent.Incoming stray = message(key, "c1", "hello");
      b.offer(stray);

      await().atMost(Duration.ofSeconds(10)).until(() -> sinkB.redirects.size() == 1);
      assertThat(sinkB.redirects.get(0).event()).isSameAs(stray);
      assertThat(sinkB.redirects.get(0).holder()).contains("owner-a");
      assertThat(sinkB.sent).as("owner b ran no room code").isEmpty();
      assertThat(metricsB.redirects()).isEqualTo(1);
      assertThat(b.isActive(key)).isFalse();

      a.offer(message(key, "c1", "hello"));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> sinkA.sent.stream().anyMatch(s -> s.text().equals("echo:hello")));
    } finally {
      a.close();
      b.close();
    }
  }

  @Test
  void aStaleOwnersWriteIsRefused() {
    RoomKey key = new RoomKey("default", "probe", "two");
    RecordingClientSink sinkA = new RecordingClientSink();
    RecordingClientSink sinkB = new RecordingClientSink();
    Metrics metricsA = new Metrics();
    RoomRuntime a = owner("owner-a", sinkA, metricsA);
    RoomRuntime b = owner("owner-b", sinkB, new Metrics());
    try {
      assertThat(connect(a, key, "c1").accepted()).isTrue();
      // The lease passes to b behind a's back (a paused too long, say): a still believes it owns
      // the key.
      connector.sync().del(RedisKeys.lease(key));
      assertThat(connect(b, key, "c2").accepted()).isTrue();

      a.offer(message(key, "c1", "store:secret=from-a"));

      await().atMost(Duration.ofSeconds(10)).until(() -> metricsA.errors("stale-lease") == 1);
      assertThat(connector.sync().hget(RedisKeys.storage(key), "secret"))
          .as("a's write was refused")
          .isNull();
      assertThat(a.isActive(key)).as("a dropped its stale instance").isFalse();
      // a's next event for the key goes to b, the holder.
      RoomEvent.Incoming next = message(key, "c1", "again");
      a.offer(next);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> sinkA.redirects.stream().anyMatch(r -> r.event() == next));
      assertThat(sinkA.redirects)
          .last()
          .satisfies(r -> assertThat(r.holder()).isEqualTo(Optional.of("owner-b")));
    } finally {
      a.close();
      b.close();
    }
  }

  @Test
  void whileRedisStallsPastItsLeaseAnOwnerActsOnlyUntilTheLeaseMayHaveExpired() throws Exception {
    RoomKey key = new RoomKey("default", "probe", "stalled");
    RecordingClientSink sink = new RecordingClientSink();
    Metrics metrics = new Metrics();
    Duration ttl = Duration.ofSeconds(1);
    RoomRuntime a = owner("owner-a", sink, metrics, ttl);
    ScheduledExecutorService client = Executors.newSingleThreadScheduledExecutor();
    try (RedisStall stalling = new RedisStall(redis.urlOfNodeHolding(RedisKeys.lease(key)))) {
      assertThat(connect(a, key, "c1").accepted()).isTrue();
      AtomicInteger pings = new AtomicInteger();
      long stallSent = System.nanoTime();
      CompletableFuture<String> stall = stalling.sleep(4);
      client.scheduleAtFixedRate(
          () -> a.offer(message(key, "c1", "ping " + pings.incrementAndGet())),
          0,
          100,
          TimeUnit.MILLISECONDS);
      assertThat(stall.get(15, TimeUnit.SECONDS)).isEqualTo("OK");
      client.shutdown();
      assertThat(client.awaitTermination(5, TimeUnit.SECONDS)).isTrue();

      // Cut off from Redis past a third of the TTL, the owner hands back what it cannot confirm
      // (its
      // gateways would send it elsewhere), and keeps handing that gateway's events back until the
      // gateway's fence comes.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> sink.sent.size() + sink.redirects.size() == pings.get());
      List<String> answered = sink.sent.stream().map(RecordingClientSink.Sent::text).toList();
      List<String> handedBack =
          sink.redirects.stream()
              .map(r -> "echo:" + ((RoomEvent.Incoming) r.event()).message().text())
              .toList();
      assertThat(java.util.stream.Stream.concat(answered.stream(), handedBack.stream()))
          .as("every ping answered or handed back, once, in order")
          .containsExactlyElementsOf(
              IntStream.rangeClosed(1, pings.get()).mapToObj(i -> "echo:ping " + i).toList());
      // Redis went to sleep after stallSent, so no lease is good past stallSent + 4/5 of the TTL;
      // and it sleeps four seconds. Nothing may be handled in between, whatever the room threads
      // do.
      long lastGood = stallSent + ttl.toNanos() * 4 / 5;
      assertThat(sink.sent)
          .as("answers while the lease may have expired and Redis still slept")
          .noneMatch(
              s ->
                  s.atNanos() - lastGood > Duration.ofMillis(400).toNanos()
                      && s.atNanos() - stallSent < Duration.ofMillis(3000).toNanos());
      // As a gateway would once the owner says it serves again: fence, then send.
      await().atMost(Duration.ofSeconds(10)).until(() -> !a.store().cutOff());
      RoomEvent.Fence fence = new RoomEvent.Fence(key, "gw", new CompletableFuture<>());
      a.offer(fence);
      a.offer(message(key, "c1", "after the fence"));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> sink.sent.stream().anyMatch(s -> s.text().equals("echo:after the fence")));
      assertThat(metrics.errors("lease-lost"))
          .as("the lease expired in the stall: the instance was reset")
          .isEqualTo(1);
    } finally {
      client.shutdownNow();
      a.close();
    }
  }
}
