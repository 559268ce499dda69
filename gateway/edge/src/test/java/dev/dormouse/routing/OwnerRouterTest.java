package dev.dormouse.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.admin.Metrics;
import dev.dormouse.cluster.OwnerDirectory;
import dev.dormouse.cluster.OwnerEndpoint;
import dev.dormouse.cluster.RoomOwners;
import dev.dormouse.config.RoomSettings;
import dev.dormouse.config.StaticRoomCatalog;
import dev.dormouse.crd.v1alpha1.WebSocketRoom;
import dev.dormouse.link.ConnectOutcome;
import dev.dormouse.link.Refusal;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.room.Message;
import dev.dormouse.room.RoomKey;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OwnerRouterTest {

  static final RoomKey KEY = RoomKey.of("default", "lobby");
  static final OwnerEndpoint A = new OwnerEndpoint("a", new InetSocketAddress("127.0.0.1", 7001));
  static final OwnerEndpoint B = new OwnerEndpoint("b", new InetSocketAddress("127.0.0.1", 7002));

  static final Duration GRACE = Duration.ofSeconds(2);

  /** An owner link that records what it was sent; fences pass at once unless told to hold them. */
  static final class FakeLink implements OwnerLink {
    final List<RoomEvent> received = new CopyOnWriteArrayList<>();
    volatile boolean ready = true;
    volatile boolean draining;
    volatile boolean paused;
    volatile long notReadySince;
    volatile boolean holdFences;
    final List<RoomEvent.Fence> heldFences = new CopyOnWriteArrayList<>();

    /** What the owner does with each event it gets, besides recording it. */
    volatile Consumer<RoomEvent> onEvent = event -> {};

    @Override
    public boolean isReady() {
      return ready;
    }

    @Override
    public boolean isDraining() {
      return draining;
    }

    @Override
    public boolean isPaused() {
      return paused;
    }

    @Override
    public long notReadySinceNanos() {
      return notReadySince;
    }

    /** The link drops at {@code nanos} on the test's clock. */
    void down(long nanos) {
      notReadySince = nanos;
      ready = false;
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
      onEvent.accept(event);
      return true;
    }

    List<String> texts() {
      return received.stream()
          .filter(e -> e instanceof RoomEvent.Incoming)
          .map(e -> ((RoomEvent.Incoming) e).message().text())
          .toList();
    }
  }

  /** Owners set by the tests, some of them starting (their pod not Ready yet). */
  static final class TestDirectory implements OwnerDirectory {
    final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    volatile RoomOwners owners = RoomOwners.NONE;

    void set(List<OwnerEndpoint> ready) {
      set(ready, Set.of());
    }

    void set(List<OwnerEndpoint> all, Set<OwnerEndpoint> starting) {
      owners =
          new RoomOwners(
              all.stream().sorted(Comparator.comparing(OwnerEndpoint::ownerId)).toList(), starting);
      listeners.forEach(Runnable::run);
    }

    @Override
    public RoomOwners owners(String namespace, String room) {
      return owners;
    }

    @Override
    public void addListener(Runnable changed) {
      listeners.add(changed);
    }
  }

  final Map<OwnerEndpoint, FakeLink> links = new ConcurrentHashMap<>();
  final List<String> wakes = new CopyOnWriteArrayList<>();
  final Map<String, String> refused = new ConcurrentHashMap<>();
  final Map<String, Integer> codes = new ConcurrentHashMap<>();
  final TestDirectory directory = new TestDirectory();
  final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

  /** The clock of the link grace: moved by the tests, never by time. */
  final AtomicLong clock = new AtomicLong(1_000_000_000L);

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
    return router(directory, wakeTimeout, wakeBuffer);
  }

  /** A router over this test's fake links, wakes and senders, and over {@code directory}. */
  OwnerRouter router(OwnerDirectory directory, Duration wakeTimeout, int wakeBuffer) {
    WebSocketRoom room = new WebSocketRoom();
    room.setMetadata(new ObjectMetaBuilder().withName("lobby").withNamespace("default").build());
    room.getSpec().getLimits().setWakeBufferMessages(wakeBuffer);
    return new OwnerRouter(
        "gw",
        new StaticRoomCatalog(List.of(RoomSettings.of(room))),
        directory,
        owner -> links.computeIfAbsent(owner, o -> new FakeLink()),
        (ns, name) -> wakes.add(ns + "/" + name),
        (gateway, connection, code, reason) -> {
          codes.put(connection, code);
          refused.put(connection, reason);
        },
        new Metrics(),
        timers,
        wakeTimeout,
        GRACE,
        clock::get);
  }

  FakeLink link(OwnerEndpoint owner) {
    return links.computeIfAbsent(owner, o -> new FakeLink());
  }

  /** A key of the lobby that {@code owner} wins among {@code ring}. */
  static RoomKey keyWonBy(OwnerEndpoint owner, List<OwnerEndpoint> ring) {
    RoomKey key = KEY;
    for (int i = 0; !OwnerRing.pick(key, ring).orElseThrow().equals(owner); i++) {
      key = new RoomKey("default", "lobby", "k" + i);
    }
    return key;
  }

  static OwnerEndpoint other(OwnerEndpoint owner) {
    return owner.equals(A) ? B : A;
  }

  static RoomEvent.Incoming message(String connection, String text) {
    return message(KEY, connection, text);
  }

  static RoomEvent.Incoming message(RoomKey key, String connection, String text) {
    return new RoomEvent.Incoming(
        key, "gw", connection, Message.text(text), new CompletableFuture<>());
  }

  @Test
  void eventsForARoomWithoutOwnersWaitInOrderAndWakeIt() {
    router.offer(message("c1", "one"));
    router.offer(message("c1", "two"));
    assertThat(wakes).contains("default/lobby");

    directory.set(List.of(A));

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> links.containsKey(A) && links.get(A).texts().size() == 2);
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
    assertThat(refused.get("c3")).isEqualTo(Refusal.BUFFER_FULL.reason());
    assertThat(codes.get("c3")).isEqualTo(1013);
  }

  @Test
  void pastTheWakeTimeoutWaitingEventsAreRefused() {
    router = router(Duration.ofMillis(300), 10);
    CompletableFuture<ConnectOutcome> outcome = new CompletableFuture<>();
    router.offer(new RoomEvent.Connect(KEY, "gw", "c9", null, outcome));
    router.offer(message("c1", "lost in the void"));

    await().atMost(Duration.ofSeconds(5)).until(() -> refused.containsKey("c1"));
    assertThat(refused.get("c1")).isEqualTo(Refusal.WAKE_TIMED_OUT.reason());
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

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> links.containsKey(holder) && links.get(holder).texts().size() == 3);
    assertThat(links.get(holder).texts()).containsExactly("one", "two", "three");
  }

  @Test
  void aKeyStaysWithItsLeaseHolderInsteadOfTryingTheRingPickForEveryEvent() {
    directory.set(List.of(A, B));
    OwnerEndpoint ringPick = OwnerRing.pick(KEY, List.of(A, B)).orElseThrow();
    OwnerEndpoint holder = other(ringPick);
    router.offer(message("c1", "one"));
    router.redirected(ringPick, link(ringPick).received.get(0), Optional.of(holder.ownerId()));
    await().atMost(Duration.ofSeconds(5)).until(() -> link(holder).texts().size() == 1);

    link(holder).holdFences = true;
    router.offer(message("c1", "two"));

    assertThat(link(holder).texts())
        .as("straight to the holder, no fence, no detour")
        .containsExactly("one", "two");
    assertThat(link(holder).heldFences).isEmpty();
    assertThat(link(ringPick).texts()).containsExactly("one");
  }

  @Test
  void eventsOfADeletedRoomWakeNothingAndEndTheirSendersWith1001() {
    RoomKey gone = RoomKey.of("default", "deleted");
    RoomEvent.Close close =
        new RoomEvent.Close(gone, "gw", "c5", 1001, "", true, false, new CompletableFuture<>());
    router.offer(close);
    router.offer(
        new RoomEvent.Incoming(
            gone, "gw", "c6", Message.text("anyone?"), new CompletableFuture<>()));

    assertThat(close.done()).isCompleted();
    assertThat(codes).containsEntry("c6", 1001);
    assertThat(wakes).isEmpty();
  }

  @Test
  void aRoomTheOperatorDeletedWakesNothingEvenWhileTheCatalogStillListsIt() {
    router.offer(message("c1", "waiting for a wake"));
    assertThat(wakes).hasSize(1);

    router.roomDeleted("default", "lobby");
    RoomEvent.Close close =
        new RoomEvent.Close(
            KEY, "gw", "c2", 1001, "Room deleted", true, false, new CompletableFuture<>());
    router.offer(close);

    assertThat(codes).containsEntry("c1", 1001);
    assertThat(close.done()).isCompleted();
    assertThat(wakes).hasSize(1);
  }

  @Test
  void anOwnerWhoseLinkStaysDownPastTheGraceLeavesTheRingAndItsKeysMoveFenced() {
    directory.set(List.of(A, B));
    OwnerEndpoint owner = OwnerRing.pick(KEY, List.of(A, B)).orElseThrow();
    router.offer(message("c1", "before"));
    link(owner).down(clock.get());
    link(owner).holdFences = true;

    router.offer(message("c1", "during the grace"));
    clock.addAndGet(GRACE.toNanos() - 1);
    router.retryAll();
    assertThat(link(other(owner)).texts()).as("within the grace the key stays").isEmpty();

    clock.addAndGet(1);
    router.retryAll();
    // The dead owner's link cannot carry a fence: it passes at once and the key moves.
    assertThat(link(owner).heldFences).isEmpty();
    await().atMost(Duration.ofSeconds(5)).until(() -> link(other(owner)).texts().size() == 1);
    router.offer(message("c1", "after"));
    assertThat(link(other(owner)).texts()).containsExactly("during the grace", "after");
    assertThat(link(owner).texts()).containsExactly("before");
    assertThat(refused).isEmpty();
  }

  @Test
  void anOwnerWhoseLinkIsBackRejoinsTheRingAndItsKeysMoveBackFenced() {
    directory.set(List.of(A, B));
    OwnerEndpoint owner = OwnerRing.pick(KEY, List.of(A, B)).orElseThrow();
    link(owner).down(clock.get());
    clock.addAndGet(GRACE.toNanos());
    router.offer(message("c1", "while it was away"));
    assertThat(link(other(owner)).texts()).containsExactly("while it was away");

    link(owner).ready = true;
    link(other(owner)).holdFences = true;
    router.offer(message("c1", "back"));

    assertThat(link(other(owner)).heldFences).as("the stand-in is fenced first").hasSize(1);
    assertThat(link(owner).texts()).isEmpty();
    link(other(owner)).heldFences.get(0).passed().complete(null);
    await().atMost(Duration.ofSeconds(5)).until(() -> link(owner).texts().size() == 1);
    assertThat(link(owner).texts()).containsExactly("back");
  }

  @Test
  void aLinkThatBlipsWithinTheGraceKeepsItsKeys() {
    directory.set(List.of(A, B));
    OwnerEndpoint owner = OwnerRing.pick(KEY, List.of(A, B)).orElseThrow();
    link(owner).down(clock.get());
    router.offer(message("c1", "one"));
    clock.addAndGet(GRACE.toNanos() / 2);
    link(owner).ready = true;
    router.retryAll();

    assertThat(link(owner).texts()).containsExactly("one");
    clock.addAndGet(GRACE.toNanos());
    router.offer(message("c1", "two"));
    assertThat(link(owner).texts()).containsExactly("one", "two");
    assertThat(link(other(owner)).received).isEmpty();
  }

  @Test
  void aLeaseHolderOutOfTheRingIsPassedOverAndTheStandInIsRetriedUntilItTakesTheKey() {
    directory.set(List.of(A, B));
    OwnerEndpoint dead = OwnerRing.pick(KEY, List.of(A, B)).orElseThrow();
    OwnerEndpoint standIn = other(dead);
    link(dead).down(clock.get());
    clock.addAndGet(GRACE.toNanos());
    router.offer(message("c1", "one"));
    router.offer(message("c1", "two"));

    // The stand-in cannot take the lease yet: it hands back what it got, naming the dead owner,
    // then passes the fence. The client keeps talking meanwhile.
    link(standIn).holdFences = true;
    handBack(standIn, 2, dead, () -> router.offer(message("c1", "three")));
    await().atMost(Duration.ofSeconds(5)).until(() -> link(standIn).texts().size() == 5);
    handBack(standIn, 3, dead, () -> {});
    await().atMost(Duration.ofSeconds(5)).until(() -> link(standIn).texts().size() == 8);

    assertThat(link(standIn).texts())
        .containsExactly("one", "two", "one", "two", "three", "one", "two", "three");
    router.offer(message("c1", "four"));
    assertThat(link(standIn).texts()).endsWith("three", "four");
    assertThat(link(dead).received).isEmpty();
    assertThat(refused).isEmpty();
  }

  @Test
  void eventsAStandInKeepsHandingBackEndAtTheWakeTimeoutWith1013() {
    router = router(Duration.ofMillis(600), 10);
    directory.set(List.of(A, B));
    OwnerEndpoint holder = OwnerRing.pick(KEY, List.of(A, B)).orElseThrow();
    OwnerEndpoint standIn = other(holder);
    link(holder).down(clock.get());
    clock.addAndGet(GRACE.toNanos());
    // The holder is alive somewhere this gateway cannot reach and keeps its lease: the stand-in
    // never gets it.
    link(standIn).onEvent =
        event ->
            timers.execute(() -> router.redirected(standIn, event, Optional.of(holder.ownerId())));

    router.offer(message("c1", "never taken"));

    await().atMost(Duration.ofSeconds(5)).until(() -> refused.containsKey("c1"));
    assertThat(codes.get("c1")).isEqualTo(1013);
    assertThat(refused.get("c1")).isEqualTo(Refusal.WAKE_TIMED_OUT.reason());
    assertThat(link(standIn).texts().size()).as("retried meanwhile").isGreaterThan(1);
  }

  /** The owner hands back the last {@code count} events it got, as a mailbox does: then its fence passes. */
  void handBack(OwnerEndpoint from, int count, OwnerEndpoint holder, Runnable meanwhile) {
    List<RoomEvent> got = link(from).received;
    List<RoomEvent> last = List.copyOf(got.subList(got.size() - count, got.size()));
    router.redirected(from, last.get(0), Optional.of(holder.ownerId()));
    meanwhile.run();
    last.subList(1, count)
        .forEach(event -> router.redirected(from, event, Optional.of(holder.ownerId())));
    assertThat(link(from).heldFences).hasSize(1);
    link(from).heldFences.remove(0).passed().complete(null);
  }

  @Test
  void aDrainingOwnerLeavesTheRingAtOnceAndEveryKeyRoutedToItIsFenced() {
    directory.set(List.of(A, B));
    OwnerEndpoint leaving = OwnerRing.pick(KEY, List.of(A, B)).orElseThrow();
    RoomKey second = KEY;
    for (int i = 0;
        second.equals(KEY) || !OwnerRing.pick(second, List.of(A, B)).orElseThrow().equals(leaving);
        i++) {
      second = new RoomKey("default", "lobby", "i" + i);
    }
    router.offer(message("c1", "one"));
    router.offer(message(second, "c2", "uno"));
    link(leaving).draining = true;
    link(leaving).holdFences = true;

    router.ownerLeaving(leaving);

    assertThat(link(leaving).heldFences)
        .extracting(RoomEvent::key)
        .containsExactlyInAnyOrder(KEY, second);
    router.offer(message("c1", "two"));
    router.offer(message(second, "c2", "dos"));
    assertThat(link(other(leaving)).received).as("nothing overtakes the fences").isEmpty();
    link(leaving).heldFences.forEach(f -> f.passed().complete(null));
    await().atMost(Duration.ofSeconds(5)).until(() -> link(other(leaving)).texts().size() == 2);
    assertThat(link(other(leaving)).texts()).containsExactlyInAnyOrder("two", "dos");
    assertThat(link(leaving).texts()).containsExactly("one", "uno");
    assertThat(refused).isEmpty();
  }

  @Test
  void aPausedOwnerTakesNothingWhileAnotherOwnerCountsYetStillServesWhenNoneDoes() {
    directory.set(List.of(A, B));
    OwnerEndpoint paused = OwnerRing.pick(KEY, List.of(A, B)).orElseThrow();
    link(paused).paused = true;

    router.offer(message("c1", "one"));
    assertThat(link(other(paused)).texts()).containsExactly("one");
    assertThat(link(paused).received).isEmpty();

    // Its only peer gone, the paused owner is the one left: it runs what it still can.
    directory.set(List.of(paused));
    router.offer(message("c1", "two"));
    await().atMost(Duration.ofSeconds(5)).until(() -> link(paused).texts().contains("two"));
    assertThat(wakes).as("owners exist: nothing to wake").isEmpty();
    assertThat(refused).isEmpty();
  }

  @Test
  void aStartingOwnerTakesNoKeyFromAReadyOneUntilItsLinkServes() {
    RoomKey won = keyWonBy(B, List.of(A, B));
    directory.set(List.of(A));
    router.offer(message(won, "c1", "one"));
    link(B).down(clock.get());

    // Within what would be the grace of a Ready owner's new link.
    directory.set(List.of(A, B), Set.of(B));
    router.offer(message(won, "c1", "two"));
    assertThat(link(A).texts()).as("the ready owner keeps it: nothing waits").contains("two");

    link(B).ready = true;
    link(A).holdFences = true;
    router.retryAll();
    router.offer(message(won, "c1", "three"));
    assertThat(link(B).received).as("fenced from the owner it came from first").isEmpty();
    link(A).heldFences.forEach(f -> f.passed().complete(null));
    await().atMost(Duration.ofSeconds(5)).until(() -> link(B).texts().contains("three"));
    assertThat(link(A).texts()).containsExactly("one", "two");
  }

  @Test
  void aStartingOwnerLeavesAtOnceWhenItsLinkDropsAndItsPodTurningReadyMovesNothing() {
    RoomKey won = keyWonBy(B, List.of(A, B));
    directory.set(List.of(A, B), Set.of(B));
    router.offer(message(won, "c1", "one"));
    assertThat(link(B).texts()).containsExactly("one");

    directory.set(List.of(A, B));
    link(B).holdFences = true;
    router.offer(message(won, "c1", "two"));
    assertThat(link(B).texts())
        .as("Ready now: the key stays, unfenced")
        .containsExactly("one", "two");
    assertThat(link(B).heldFences).isEmpty();

    directory.set(List.of(A, B), Set.of(B));
    link(B).down(clock.get());
    router.offer(message(won, "c1", "three"));
    await().atMost(Duration.ofSeconds(5)).until(() -> link(A).texts().contains("three"));
  }

  @Test
  void aStartingOwnerThatIsPausedOrDrainingNeverCountsEvenAlone() {
    link(A).paused = true;
    directory.set(List.of(A), Set.of(A));
    router.offer(message("c1", "one"));
    assertThat(link(A).received).as("paused: not yet serving").isEmpty();

    link(A).paused = false;
    link(A).draining = true;
    router.retryAll();
    assertThat(link(A).received).isEmpty();

    link(A).draining = false;
    router.retryAll();
    assertThat(link(A).texts()).containsExactly("one");
  }

  @Test
  void aRoomWhoseLastOwnerDrainsAwayIsNotWokenAgainUntilAnEventComes() {
    directory.set(List.of(A));
    router.offer(message("c1", "before the scale to zero"));
    assertThat(link(A).texts()).hasSize(1);

    // The operator scaled the idle room to zero: the pod is deleted and its owner drains.
    directory.set(List.of());
    link(A).draining = true;
    router.ownerLeaving(A);

    await()
        .during(Duration.ofMillis(800))
        .atMost(Duration.ofSeconds(5))
        .until(() -> wakes.isEmpty());
    router.offer(message("c1", "after"));
    assertThat(wakes).containsExactly("default/lobby");
  }

  @Test
  void messagesALostOwnerHadNotHandledCloseTheirSendersWith1013() {
    router.lost(List.of(message("c7", "x")));
    assertThat(refused).containsEntry("c7", Refusal.OWNER_LOST.reason());
  }
}
