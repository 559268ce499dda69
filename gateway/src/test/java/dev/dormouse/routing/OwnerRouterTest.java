package dev.dormouse.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.admin.Metrics;
import dev.dormouse.cluster.OwnerEndpoint;
import dev.dormouse.cluster.StaticOwnerDirectory;
import dev.dormouse.config.RoomSettings;
import dev.dormouse.config.StaticRoomCatalog;
import dev.dormouse.contract.RoomKey;
import dev.dormouse.crd.v1alpha1.WebSocketRoom;
import dev.dormouse.link.ConnectOutcome;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.room.Message;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OwnerRouterTest {

  static final RoomKey KEY = RoomKey.of("default", "lobby");
  static final OwnerEndpoint A = new OwnerEndpoint("a", new InetSocketAddress("127.0.0.1", 7001));
  static final OwnerEndpoint B = new OwnerEndpoint("b", new InetSocketAddress("127.0.0.1", 7002));

  /** An owner link that records what it was sent; fences pass at once unless told to hold them. */
  static final class FakeLink implements OwnerLink {
    final List<RoomEvent> received = new CopyOnWriteArrayList<>();
    volatile boolean ready = true;
    volatile boolean holdFences;
    final List<RoomEvent.Fence> heldFences = new CopyOnWriteArrayList<>();

    @Override
    public boolean isReady() {
      return ready;
    }

    @Override
    public boolean offer(RoomEvent event) {
      if (!ready) {
        return false;
      }
      if (event instanceof RoomEvent.Fence fence) {
        if (holdFences) {
          heldFences.add(fence);
        } else {
          fence.passed().complete(null);
        }
        return true;
      }
      received.add(event);
      return true;
    }

    List<String> texts() {
      return received.stream().filter(e -> e instanceof RoomEvent.Incoming)
          .map(e -> ((RoomEvent.Incoming) e).message().text()).toList();
    }
  }

  final Map<OwnerEndpoint, FakeLink> links = new ConcurrentHashMap<>();
  final List<String> wakes = new CopyOnWriteArrayList<>();
  final Map<String, String> refused = new ConcurrentHashMap<>();
  final Map<String, Integer> codes = new ConcurrentHashMap<>();
  final StaticOwnerDirectory directory = new StaticOwnerDirectory(List.of());
  final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
  OwnerRouter router;

  @BeforeEach
  void setUp() {
    router = router(Duration.ofSeconds(30), 3);
  }

  @AfterEach
  void tearDown() {
    timers.shutdownNow();
  }

  OwnerRouter router(Duration wakeTimeout, int wakeBuffer) {
    WebSocketRoom room = new WebSocketRoom();
    room.setMetadata(new ObjectMetaBuilder().withName("lobby").withNamespace("default").build());
    room.getSpec().getLimits().setWakeBufferMessages(wakeBuffer);
    return new OwnerRouter("gw", new StaticRoomCatalog(List.of(RoomSettings.of(room))), directory,
        owner -> links.computeIfAbsent(owner, o -> new FakeLink()), (ns, name) -> wakes.add(ns + "/" + name),
        (connection, code, reason) -> {
          codes.put(connection, code);
          refused.put(connection, reason);
        }, new Metrics(), timers, wakeTimeout);
  }

  static RoomEvent.Incoming message(String connection, String text) {
    return new RoomEvent.Incoming(KEY, "gw", connection, Message.text(text), new CompletableFuture<>());
  }

  @Test
  void eventsForARoomWithoutOwnersWaitInOrderAndWakeIt() {
    router.offer(message("c1", "one"));
    router.offer(message("c1", "two"));
    assertThat(wakes).contains("default/lobby");

    directory.set(List.of(A));

    await().atMost(Duration.ofSeconds(5)).until(() -> links.containsKey(A) && links.get(A).texts().size() == 2);
    assertThat(links.get(A).texts()).containsExactly("one", "two");
    router.offer(message("c1", "three"));
    assertThat(links.get(A).texts()).containsExactly("one", "two", "three");
  }

  @Test
  void pastTheWakeBufferSendersAreToldToTryAgain() {
    for (int i = 0; i < 4; i++) {
      router.offer(message("c" + i, "m" + i));
    }
    assertThat(refused).containsOnlyKeys("c3");
    assertThat(refused.get("c3")).isEqualTo(OwnerRouter.BUFFER_FULL);
    assertThat(codes.get("c3")).isEqualTo(1013);
  }

  @Test
  void pastTheWakeTimeoutWaitingEventsAreRefused() {
    router = router(Duration.ofMillis(300), 10);
    CompletableFuture<ConnectOutcome> outcome = new CompletableFuture<>();
    router.offer(new RoomEvent.Connect(KEY, "gw", "c9", null, outcome));
    router.offer(message("c1", "lost in the void"));

    await().atMost(Duration.ofSeconds(5)).until(() -> refused.containsKey("c1"));
    assertThat(refused.get("c1")).isEqualTo(OwnerRouter.WAKE_TIMED_OUT);
    assertThat(outcome.join().status()).isEqualTo(503);
  }

  @Test
  void eventsGoToTheSameOwnerEveryTime() {
    directory.set(List.of(A, B));
    for (int i = 0; i < 5; i++) {
      router.offer(message("c1", "m" + i));
    }
    OwnerEndpoint chosen = OwnerRing.pick(KEY, List.of(A, B)).orElseThrow();
    assertThat(links.get(chosen).texts()).containsExactly("m0", "m1", "m2", "m3", "m4");
  }

  @Test
  void aKeyMovesToTheLeaseHolderWithoutReordering() {
    directory.set(List.of(A, B));
    OwnerEndpoint ringPick = OwnerRing.pick(KEY, List.of(A, B)).orElseThrow();
    OwnerEndpoint holder = ringPick.equals(A) ? B : A;
    FakeLink wrong = links.computeIfAbsent(ringPick, o -> new FakeLink());
    wrong.holdFences = true;
    router.offer(message("c1", "one"));
    router.offer(message("c1", "two"));

    // The wrong owner hands both back, naming the holder; meanwhile the client keeps talking.
    router.redirected(ringPick, wrong.received.get(0), Optional.of(holder.ownerId()));
    router.offer(message("c1", "three"));
    router.redirected(ringPick, wrong.received.get(1), Optional.of(holder.ownerId()));
    assertThat(links.containsKey(holder) ? links.get(holder).texts() : List.of()).isEmpty();
    wrong.heldFences.forEach(f -> f.passed().complete(null));

    await().atMost(Duration.ofSeconds(5)).until(() -> links.containsKey(holder) && links.get(holder).texts().size() == 3);
    assertThat(links.get(holder).texts()).containsExactly("one", "two", "three");
  }

  @Test
  void eventsOfADeletedRoomWakeNothingAndEndTheirSendersWith1001() {
    RoomKey gone = RoomKey.of("default", "deleted");
    RoomEvent.Close close = new RoomEvent.Close(gone, "gw", "c5", 1001, "", true, false, new CompletableFuture<>());
    router.offer(close);
    router.offer(new RoomEvent.Incoming(gone, "gw", "c6", Message.text("anyone?"), new CompletableFuture<>()));

    assertThat(close.done()).isCompleted();
    assertThat(codes).containsEntry("c6", 1001);
    assertThat(wakes).isEmpty();
  }

  @Test
  void aRoomTheOperatorDeletedWakesNothingEvenWhileTheCatalogStillListsIt() {
    router.offer(message("c1", "waiting for a wake"));
    assertThat(wakes).hasSize(1);

    router.roomDeleted("default", "lobby");
    RoomEvent.Close close = new RoomEvent.Close(KEY, "gw", "c2", 1001, "Room deleted", true, false,
        new CompletableFuture<>());
    router.offer(close);

    assertThat(codes).containsEntry("c1", 1001);
    assertThat(close.done()).isCompleted();
    assertThat(wakes).hasSize(1);
  }

  @Test
  void messagesALostOwnerHadNotHandledCloseTheirSendersWith1013() {
    router.lost(List.of(message("c7", "x")));
    assertThat(refused).containsEntry("c7", OwnerRouter.OWNER_LOST);
  }
}
