package dev.dormouse.runtime;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.admin.Metrics;
import dev.dormouse.config.RoomSettings;
import dev.dormouse.config.StaticRoomCatalog;
import dev.dormouse.contract.ActivityReport;
import dev.dormouse.crd.v1alpha1.Hibernation;
import dev.dormouse.crd.v1alpha1.WebSocketRoom;
import dev.dormouse.link.ConnectOutcome;
import dev.dormouse.link.Refusal;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.room.AlarmInfo;
import dev.dormouse.room.ConnectDecision;
import dev.dormouse.room.ConnectRequest;
import dev.dormouse.room.Message;
import dev.dormouse.room.Room;
import dev.dormouse.room.RoomContext;
import dev.dormouse.room.RoomKey;
import dev.dormouse.room.RoomRequest;
import dev.dormouse.room.RoomResponse;
import dev.dormouse.room.RoomSocket;
import dev.dormouse.store.AlarmIndex;
import dev.dormouse.store.AlarmRecord;
import dev.dormouse.store.InstanceTransition;
import dev.dormouse.testing.CustomRoomJar;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The owner runtime against a store in memory, a clock the test moves and room threads the test runs:
 * what the gateways are told when leases are lost or stale, handlers overrun, instances are evicted
 * as events arrive, alarms come due, and the owner drains.
 */
class RoomRuntimeTest {

  static final RoomKey KEY = new RoomKey("default", "scripted", "one");
  static final RoomKey OTHER_KEY = new RoomKey("default", "scripted", "two");
  static final Duration EVENT_TIMEOUT = Duration.ofSeconds(1);
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(5);
  static final Duration WAKE_TIMEOUT = Duration.ofSeconds(5);
  static final int WAKE_BUFFER = 4;

  /** The runtime renews leases every third of their time to live. */
  static final Duration RENEWAL = FakeStores.TTL.dividedBy(3);

  final ManualClock clock = new ManualClock();
  final StepThreads threads = new StepThreads();
  final FakeStores store = new FakeStores();
  final RecordingClientSink gateway = new RecordingClientSink();
  final Metrics metrics = new Metrics();

  /** Activations: each instance brought into memory runs onStart once. */
  int starts;

  /** What other room threads do while one is in onStart; nothing unless a test says so. */
  Runnable duringStart = () -> {};

  /** What an {@code onAlarm} told to overrun ({@code store:overrun=1}) saw in the store. */
  Long indexWhileRinging;

  AlarmRecord alarmWhileStuck;

  /** Gateways linked to the owner. */
  int linkedGateways = 1;

  /** Every room object the runtime made, in order: one per activation. */
  final List<ScriptedRoom> rooms = new ArrayList<>();

  /** Whether a room's close throws. */
  boolean closeFails;

  RoomSettings settings;
  RoomRuntime runtime;

  /**
   * A room that answers each message: {@code store:k=v} writes storage, {@code alarm:MILLIS} sets its
   * alarm that far ahead, {@code cancel} deletes it, {@code slow} takes longer than the eventTimeout;
   * anything else is echoed. A due alarm rings every socket. It counts its closes.
   */
  final class ScriptedRoom implements Room, AutoCloseable {
    private RoomContext ctx;
    int closes;

    /** Its closes while its overrunning handler was still running ({@code slow-watched}). */
    int closesWhileStuck = -1;

    ScriptedRoom() {
      rooms.add(this);
    }

    @Override
    public void close() {
      closes++;
      if (closeFails) {
        throw new IllegalStateException("close failed on purpose");
      }
    }

    @Override
    public void onStart(RoomContext context) {
      ctx = context;
      starts++;
      Runnable meanwhile = duringStart;
      duringStart = () -> {};
      meanwhile.run();
    }

    /** The sockets the room heard closed, as {@code ID:CODE}. */
    final List<String> closed = new ArrayList<>();

    /** A socket named {@code greeted…} is welcomed, and the others hear it joined. */
    @Override
    public ConnectDecision onConnect(RoomSocket socket, ConnectRequest request) {
      if (socket.id().startsWith("slow")) {
        takeLongerThanTheEventTimeout();
      }
      if (socket.id().startsWith("greeted")) {
        socket.send("welcome " + socket.id());
        ctx.broadcast("joined:" + socket.id(), ctx.getWebSockets());
      }
      return ConnectDecision.accept();
    }

    @Override
    public void onClose(RoomSocket socket, int code, String reason, boolean wasClean) {
      closed.add(socket.id() + ":" + code);
    }

    @Override
    public void onMessage(RoomSocket socket, Message message) {
      String text = message.text();
      if (text.startsWith("store:")) {
        String[] entry = text.substring("store:".length()).split("=", 2);
        ctx.storage().put(entry[0], entry[1]);
        socket.send("stored");
      } else if (text.startsWith("alarm:")) {
        ctx.setAlarm(
            Instant.ofEpochMilli(
                clock.epochMillis() + Long.parseLong(text.substring("alarm:".length()))));
        socket.send("alarm set");
      } else if (text.equals("cancel")) {
        ctx.deleteAlarm();
        socket.send("cancelled");
      } else if (text.startsWith("call-timeout:")) {
        // As a room would bound a call: the timeout's answer must come through the mailbox too.
        ctx.room("scripted", "two")
            .request(RoomRequest.get("/"))
            .orTimeout(Long.parseLong(text.substring("call-timeout:".length())), MILLISECONDS)
            .whenComplete(
                (response, error) ->
                    socket.send(error + " on a room thread: " + StepThreads.inTask()));
      } else if (text.equals("call")) {
        ctx.room("scripted", "two")
            .request(RoomRequest.get("/"))
            .thenAccept(response -> socket.send("answer: " + response.status()));
      } else if (text.startsWith("call-default:")) {
        ctx.room("scripted", "two")
            .request(RoomRequest.get("/"))
            .completeOnTimeout(
                RoomResponse.text(200, "default"),
                Long.parseLong(text.substring("call-default:".length())),
                MILLISECONDS)
            .thenAccept(
                response ->
                    socket.send(
                        response.bodyText() + " on a room thread: " + StepThreads.inTask()));
      } else if (text.equals("slow")) {
        takeLongerThanTheEventTimeout();
        socket.send("late");
      } else if (text.equals("slow-watched")) {
        takeLongerThanTheEventTimeout();
        threads.runAll(); // the other room threads go on while this one is stuck
        closesWhileStuck = closes;
      } else if (text.equals("throw")) {
        throw new IllegalStateException("handler failed on purpose");
      } else if (text.startsWith("env:")) {
        socket.send(ctx.env().get(text.substring("env:".length())));
      } else {
        socket.send("echo:" + text);
      }
    }

    @Override
    public void onAlarm() {
      ctx.broadcast("ring", ctx.getWebSockets());
    }

    /**
     * With {@code store:fail=N}, an alarm announces its attempt ({@code ring:RETRYCOUNT}) and throws
     * on the first N.
     */
    @Override
    public void onAlarm(AlarmInfo info) {
      if (ctx.storage().get("overrun").isPresent()) {
        indexWhileRinging = store.alarmIndex.get(KEY);
        takeLongerThanTheEventTimeout();
        threads.runAll(); // the other room threads go on while this one is stuck
        alarmWhileStuck = store.alarms.get(KEY);
        return;
      }
      Optional<String> failures = ctx.storage().get("fail");
      if (failures.isEmpty()) {
        onAlarm();
        return;
      }
      ctx.broadcast(
          "ring:" + info.retryCount() + " at " + clock.epochMillis(), ctx.getWebSockets());
      if (info.retryCount() < Integer.parseInt(failures.get())) {
        throw new IllegalStateException("alarm failed on purpose");
      }
    }

    /** The handler's thread is busy this long: on the test's clock, the watchdog's timer comes due meanwhile. */
    private void takeLongerThanTheEventTimeout() {
      clock.advance(EVENT_TIMEOUT.plusMillis(100));
    }
  }

  @BeforeEach
  void start() {
    WebSocketRoom room = new WebSocketRoom();
    room.setMetadata(new ObjectMetaBuilder().withName("scripted").withNamespace("default").build());
    room.getSpec().setInstances(true);
    room.getSpec().getLimits().setEventTimeout(EVENT_TIMEOUT.toMillis() + "ms");
    room.getSpec().getLimits().setWakeBufferMessages(WAKE_BUFFER);
    Hibernation hibernation = new Hibernation();
    hibernation.setIdleTimeout(IDLE_TIMEOUT.toSeconds() + "s");
    room.getSpec().setHibernation(hibernation);
    room.getSpec().setEnv(Map.of("GREETING", "hello from the spec"));
    settings = RoomSettings.of(room);
    runtime = runtimeWith(handler -> ScriptedRoom::new);
  }

  RoomRuntime runtimeWith(Function<String, Supplier<Room>> handlers) {
    return new RoomRuntime(
        "owner-a",
        new StaticRoomCatalog(List.of(settings)),
        handlers,
        store.stores(),
        gateway,
        metrics,
        WAKE_TIMEOUT,
        () -> linkedGateways,
        new RoomRuntime.Scheduling(clock, threads));
  }

  @AfterEach
  void stop() {
    runtime.close();
  }

  RoomEvent.Connect connectEvent(RoomKey key, String connectionId) {
    return new RoomEvent.Connect(
        key,
        "gw",
        connectionId,
        new ConnectRequest("/", Map.of(), Map.of(), "", Map.of()),
        new CompletableFuture<>());
  }

  /** A client joins and the room threads run until idle; the answer the gateway got. */
  ConnectOutcome connect(RoomKey key, String connectionId) {
    RoomEvent.Connect connect = connectEvent(key, connectionId);
    runtime.offer(connect);
    threads.runAll();
    assertThat(connect.outcome()).as("connect of %s answered", connectionId).isDone();
    return connect.outcome().join();
  }

  /** A client message, offered but not yet handled: the room threads have not run. */
  RoomEvent.Incoming send(RoomKey key, String connectionId, String text) {
    RoomEvent.Incoming message =
        new RoomEvent.Incoming(
            key, "gw", connectionId, Message.text(text), new CompletableFuture<>());
    assertThat(runtime.offer(message)).isTrue();
    return message;
  }

  RoomEvent.Incoming send(String connectionId, String text) {
    return send(KEY, connectionId, text);
  }

  /** Time passes, timers due meanwhile fire, then the room threads run what they queued. */
  void advance(Duration step) {
    clock.advance(step);
    threads.runAll();
  }

  /** What the gateway was told to send to {@code connectionId}, in order. */
  List<String> received(String connectionId) {
    return gateway.sent.stream()
        .filter(s -> s.connectionIds().contains(connectionId))
        .map(RecordingClientSink.Sent::text)
        .toList();
  }

  /** The gateway was told, once, to send {@code event} on, to {@code holder} or wherever its routing picks. */
  void assertHandedBackOnly(RoomEvent event, Optional<String> holder) {
    assertThat(gateway.redirects).containsExactly(new RecordingClientSink.Redirect(event, holder));
  }

  /** KEY's instance found its lease taken: reset, counted once, and c1's next event handed to the holder. */
  void assertLeaseLostTo(String holder) {
    assertThat(runtime.isActive(KEY)).isFalse();
    assertThat(metrics.errors("stale-lease")).isEqualTo(1);
    RoomEvent.Incoming next = send("c1", "again");
    threads.runAll();
    assertHandedBackOnly(next, Optional.of(holder));
  }

  List<RoomEvent> handedBack() {
    return gateway.redirects.stream().map(RecordingClientSink.Redirect::event).toList();
  }

  @Test
  void theEventsOfEachKeyAreHandledInArrivalOrderPastOneDrainsBatch() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();
    assertThat(connect(OTHER_KEY, "c2").accepted()).isTrue();

    IntStream.range(0, 150)
        .forEach(
            i -> {
              send(KEY, "c1", "a" + i);
              send(OTHER_KEY, "c2", "b" + i);
            });
    threads.runAll();

    assertThat(received("c1"))
        .containsExactlyElementsOf(IntStream.range(0, 150).mapToObj(i -> "echo:a" + i).toList());
    assertThat(received("c2"))
        .containsExactlyElementsOf(IntStream.range(0, 150).mapToObj(i -> "echo:b" + i).toList());
  }

  @Test
  void aCallsTimeoutIsAnsweredInTheCallersMailboxNotOnTheTimersThread() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();
    send("c1", "call-timeout:1");
    threads.runAll();
    assertThat(gateway.calls).hasSize(1);

    // The timeout is due at once; what it completes runs on a room thread, as answers do.
    await()
        .untilAsserted(
            () -> {
              threads.runAll();
              assertThat(received("c1"))
                  .containsExactly("java.util.concurrent.TimeoutException on a room thread: true");
            });
  }

  @Test
  void aCallsDefaultOnTimeoutIsAnsweredInTheCallersMailbox() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();
    send("c1", "call-default:1");
    threads.runAll();

    await()
        .untilAsserted(
            () -> {
              threads.runAll();
              assertThat(received("c1")).containsExactly("default on a room thread: true");
            });

    // The real answer, when it comes, changes nothing.
    gateway.calls.get(0).answer().complete(RoomResponse.text(200, "late"));
    threads.runAll();
    assertThat(received("c1")).containsExactly("default on a room thread: true");
  }

  @Test
  void aCallItsSinkCouldNotSendIsAnswered503AndLeavesTheInstanceIdle() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();
    gateway.callFailure = new IllegalArgumentException("too large for the link");
    send("c1", "call");
    threads.runAll();
    assertThat(received("c1")).containsExactly("answer: 503");

    // No call is left counted as waiting: idle, the instance is evicted as any other.
    advance(IDLE_TIMEOUT.plusSeconds(1));
    assertThat(runtime.isActive(KEY)).isFalse();
  }

  @Test
  void aDrainingOwnerHandsBackTheEventsOfRoomsNotInMemoryWithoutTakingTheirLease() {
    runtime.drain();

    RoomEvent.Connect connect = connectEvent(KEY, "c1");
    runtime.offer(connect);
    threads.runAll();

    assertHandedBackOnly(connect, Optional.empty()); // no holder: the gateway routes it elsewhere
    assertThat(connect.outcome()).as("left for the owner it goes to").isNotDone();
    assertThat(starts).isZero();
    assertThat(store.holder(KEY)).isEmpty();
  }

  @Test
  void aDrainingOwnerServesItsInstancesUntilTheyAreEvictedThenHandsBackAndLetsTheirLeasesGo() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();
    runtime.drain();
    send("c1", "before the sweep");
    threads.runAll();
    assertThat(received("c1")).containsExactly("echo:before the sweep");

    advance(Duration.ofMillis(100));

    assertThat(runtime.drained()).isTrue();
    assertThat(store.holder(KEY)).as("lease released for the next owner").isEmpty();
    RoomEvent.Incoming after = send("c1", "after the sweep");
    threads.runAll();
    assertThat(handedBack()).containsExactly(after);
    assertThat(received("c1")).containsExactly("echo:before the sweep");
  }

  @Test
  void aLeaseFoundTakenOnRenewalEndsTheInstanceAndItsEventsGoToTheNewHolder() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();
    store.passTo(KEY, "owner-b");
    advance(RENEWAL);

    RoomEvent.Incoming message = send("c1", "hello");
    threads.runAll();

    assertHandedBackOnly(message, Optional.of("owner-b"));
    assertThat(received("c1")).as("owner-a ran no room code for it").isEmpty();
    assertThat(runtime.isActive(KEY)).isFalse();
    assertThat(metrics.errors("lease-lost")).isEqualTo(1);
  }

  @Test
  void aLeaseFoundTakenOnRenewalLeavesMemoryWithoutWaitingForAnEvent() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();
    store.passTo(KEY, "owner-b");

    advance(RENEWAL.plusMillis(100));

    assertThat(runtime.isActive(KEY)).as("an instance that can never act again").isFalse();
    assertThat(store.holder(KEY)).as("owner-b's lease untouched").contains("owner-b");
  }

  /** Time passes in sweep-sized steps, the room threads running after each, as they would meanwhile. */
  void advanceInSteps(Duration total) {
    for (long t = 0; t < total.toMillis(); t += 100) {
      advance(Duration.ofMillis(100));
    }
  }

  /** As {@link #advanceInSteps}, with a gateway's watcher polling the index at every step. */
  void advanceInStepsWithAGateway(Duration total) {
    for (long t = 0; t < total.toMillis(); t += 100) {
      advance(Duration.ofMillis(100));
      raiseDueAsAGateway(clock.epochMillis());
    }
  }

  /** The store's probe is silent this long (or longer, by at most one check) before the owner is cut off. */
  static final Duration CUT_OFF_AFTER = StoreWatch.cutOffAfter(FakeStores.TTL);

  @Test
  void cutOffFromTheStoreTheOwnerHandsBackWhatItCannotConfirmInOrderAndServesAgainOnceItAnswers() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();
    List<Boolean> changes = new java.util.concurrent.CopyOnWriteArrayList<>();
    runtime.store().listen(changes::add);

    store.cut();
    advanceInSteps(CUT_OFF_AFTER.minusMillis(100));
    assertThat(runtime.store().cutOff()).as("not yet: the store may just be slow").isFalse();
    RoomEvent.Incoming early = send("c1", "early");
    threads.runAll();
    assertThat(received("c1"))
        .as("within its validity the lease is trusted")
        .contains("echo:early");
    advanceInSteps(StoreWatch.cutOffAfter(FakeStores.TTL).dividedBy(4).plusMillis(100));
    assertThat(runtime.store().cutOff()).isTrue();
    assertThat(changes).containsExactly(true);

    // Past the lease's validity: it cannot be confirmed, so nothing waits here for the store.
    advanceInSteps(FakeStores.TTL);
    RoomEvent.Incoming one = send("c1", "one");
    RoomEvent.Incoming two = send("c1", "two");
    RoomEvent.Connect joining = connectEvent(KEY, "c2");
    runtime.offer(joining);
    threads.runAll();
    assertThat(gateway.redirects)
        .as("handed back at once, in order, to be routed elsewhere")
        .containsExactly(
            new RecordingClientSink.Redirect(one, Optional.empty()),
            new RecordingClientSink.Redirect(two, Optional.empty()),
            new RecordingClientSink.Redirect(joining, Optional.empty()));
    assertThat(received("c1"))
        .as("no room code ran on a lease that may have expired")
        .containsExactly("echo:early");
    assertThat(early.handled()).isDone();

    store.heal();
    advanceInSteps(CUT_OFF_AFTER.dividedBy(4).plusMillis(100));
    assertThat(runtime.store().cutOff()).isFalse();
    assertThat(changes).containsExactly(true, false);
    RoomEvent.Fence fence = new RoomEvent.Fence(KEY, "gw", new CompletableFuture<>());
    runtime.offer(fence);
    send("c1", "back");
    threads.runAll();
    assertThat(fence.passed()).isDone();
    assertThat(received("c1")).containsExactly("echo:early", "echo:back");
    assertThat(starts).as("the lease held throughout: the same instance").isEqualTo(1);
  }

  @Test
  void aListenerAddedWhileTheOwnerIsCutOffHearsSoAtOnce() {
    store.cut();
    advanceInSteps(CUT_OFF_AFTER.plus(CUT_OFF_AFTER.dividedBy(4)).plusMillis(100));
    assertThat(runtime.store().cutOff()).isTrue();

    List<Boolean> changes = new java.util.concurrent.CopyOnWriteArrayList<>();
    runtime.store().listen(changes::add);

    assertThat(changes).containsExactly(true);
  }

  @Test
  void cutOffFromTheStoreAWakingRoomsEventsGoBackWithoutWaitingOutTheirBackoff() {
    store.cut();
    RoomEvent.Connect connect = connectEvent(KEY, "c1");
    runtime.offer(connect);
    threads.runAll();
    assertThat(gateway.redirects).as("its lease could not be asked for: it waits").isEmpty();

    // Backoffs of 100, 200, 400 and 800 ms: the next try is due 1.5 s in, the cut-off comes
    // earlier.
    advanceInSteps(CUT_OFF_AFTER.plus(CUT_OFF_AFTER.dividedBy(4)).plusMillis(100));

    assertThat(runtime.store().cutOff()).isTrue();
    assertHandedBackOnly(connect, Optional.empty());
    assertThat(connect.outcome()).as("left for the owner it goes to").isNotDone();
    assertThat(starts).isZero();
  }

  @Test
  void withNoGatewayLinkedForAWhileTheOwnerEvictsItsInstancesAndLetsTheirLeasesGo() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();

    linkedGateways = 0;
    advanceInSteps(GatewayAbsence.LET_GO_AFTER.minusMillis(100));
    assertThat(runtime.isActive(KEY)).as("a link that blips costs nothing").isTrue();
    advanceInSteps(Duration.ofMillis(300));

    assertThat(runtime.isActive(KEY)).isFalse();
    assertThat(store.holder(KEY)).as("another owner may take the key at once").isEmpty();
    linkedGateways = 1;
    send("c1", "again");
    threads.runAll();
    assertThat(received("c1")).as("revived from the store").containsExactly("echo:again");
    assertThat(starts).isEqualTo(2);
  }

  @Test
  void afterAHandBackTheGatewaysLaterEventsFollowItUntilItsFencePasses() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();
    store.passTo(KEY, "owner-b");
    advance(RENEWAL);
    RoomEvent.Incoming first = send("c1", "one");
    threads.runAll();
    store.expire(KEY); // owner-b let go: owner-a could take the key again

    RoomEvent.Incoming second = send("c1", "two");
    RoomEvent.Fence fence = new RoomEvent.Fence(KEY, "gw", new CompletableFuture<>());
    runtime.offer(fence);
    send("c1", "three");
    threads.runAll();

    assertThat(handedBack())
        .as("'two' must not overtake 'one' on its way to owner-b")
        .containsExactly(first, second);
    assertThat(fence.passed()).isDone();
    assertThat(received("c1"))
        .as("after the fence the key is owner-a's again")
        .containsExactly("echo:three");
  }

  @Test
  void aWriteRefusedAsStaleEndsTheInstanceAndItsLaterEventsGoToTheHolder() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();
    store.passTo(KEY, "owner-b"); // behind owner-a's back, before any renewal could notice

    RoomEvent.Incoming write = send("c1", "store:secret=from-a");
    threads.runAll();

    assertThat(store.storage.getOrDefault(KEY, Map.of()))
        .as("the stale write was refused")
        .doesNotContainKey("secret");
    assertThat(received("c1")).as("the room did not get past the refused write").isEmpty();
    assertThat(write.handled()).as("the gateway is not left waiting").isDone();
    assertLeaseLostTo("owner-b");
  }

  @Test
  void whileRenewalsGoUnansweredTheOwnerActsOnlyUntilItsLeaseMayHaveExpired() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();
    store.renewalsUnanswered = true;
    Duration validity = FakeStores.TTL.minus(FakeStores.TTL.dividedBy(5));

    advance(validity.minusMillis(100));
    store.passTo(KEY, "owner-b");
    send("c1", "still valid");
    threads.runAll();
    assertThat(received("c1"))
        .as("within its validity the lease is trusted")
        .containsExactly("echo:still valid");

    advance(Duration.ofMillis(200));
    RoomEvent.Incoming late = send("c1", "may have expired");
    threads.runAll();

    assertThat(received("c1"))
        .as("past it, the lease is confirmed first")
        .containsExactly("echo:still valid");
    assertHandedBackOnly(late, Optional.of("owner-b"));
  }

  @Test
  void aHandlerOverrunningItsEventTimeoutIsAbandonedAndTheEventsBehindItGetAFreshInstance() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();

    RoomEvent.Incoming slow = send("c1", "slow");
    send("c1", "next");
    threads.runAll();

    assertThat(received("c1"))
        .as("what the overrunning handler did late has no effect")
        .containsExactly("echo:next");
    assertThat(slow.handled()).isDone();
    assertThat(starts).as("a fresh instance for the events behind it").isEqualTo(2);
    assertThat(metrics.errors("timeout")).isEqualTo(1);
    assertThat(threads.stuck).as("the stuck thread came back and its stand-in went").isZero();
  }

  @Test
  void handledEventsLeaveNoTimerQueuedBehindThem() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();
    int queued = clock.queued();

    for (int i = 0; i < 1000; i++) {
      send("c1", "m" + i);
    }
    threads.runAll();

    assertThat(received("c1")).hasSize(1000);
    assertThat(clock.queued())
        .as("the watchdog keeps nothing of a call that returned (each held its event until due)")
        .isLessThanOrEqualTo(queued + 1);
  }

  @Test
  void aConnectOverrunningItsEventTimeoutIsRefused() {
    ConnectOutcome outcome = connect(KEY, "slow-joiner");

    assertThat(outcome.accepted()).isFalse();
    assertThat(outcome.status()).isEqualTo(500);
    assertThat(outcome.body()).isEqualTo("Room timed out accepting the connection");
    assertThat(store.connections.getOrDefault(KEY, Map.of())).as("never registered").isEmpty();
  }

  @Test
  void anEventQueuedAsTheIdleSweepRunsKeepsItsInstance() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();
    advance(IDLE_TIMEOUT.minusMillis(100));

    send("c1", "just in time");
    clock.advance(Duration.ofMillis(300)); // sweeps run before the room threads get to the event
    threads.runAll();

    assertThat(received("c1")).containsExactly("echo:just in time");
    assertThat(starts).as("the instance was not evicted under its queued event").isEqualTo(1);
    assertThat(metrics.evictions()).isZero();
  }

  @Test
  void anEventArrivingWhileItsInstanceIsEvictedIsHandledOnceByOneFreshInstance() throws Exception {
    assertThat(connect(KEY, "c1").accepted()).isTrue();
    AtomicBoolean taken = new AtomicBoolean();
    Thread arriving =
        new Thread(
            () ->
                taken.set(
                    runtime.offer(
                        new RoomEvent.Incoming(
                            KEY,
                            "gw",
                            "c1",
                            Message.text("during eviction"),
                            new CompletableFuture<>()))));
    store.onRelease =
        () -> {
          // Mid-eviction: the gateway's link thread finds the mailbox still there and waits on it.
          store.onRelease = () -> {};
          arriving.start();
          await()
              .atMost(Duration.ofSeconds(10))
              .until(() -> arriving.getState() == Thread.State.BLOCKED);
        };

    advance(IDLE_TIMEOUT.plusMillis(100));
    arriving.join(10_000);
    threads.runAll();

    assertThat(metrics.evictions()).isEqualTo(1);
    assertThat(taken).as("the event was taken, not turned away").isTrue();
    assertThat(received("c1")).containsExactly("echo:during eviction");
    assertThat(starts).isEqualTo(2);
    assertThat(runtime.activeInstances()).isEqualTo(1);
    send("c1", "store:k=v");
    threads.runAll();
    assertThat(received("c1"))
        .as("the fresh instance's lease is live, not the released one")
        .endsWith("stored");
    assertThat(store.storage.get(KEY)).containsEntry("k", "v");
  }

  @Test
  void anAlarmRingsAtItsTimeAndOnlyOnce() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();
    send("c1", "alarm:2000");
    threads.runAll();

    advance(Duration.ofMillis(1900));
    assertThat(received("c1")).containsExactly("alarm set");
    advance(Duration.ofMillis(200));
    assertThat(received("c1")).containsExactly("alarm set", "ring");
    assertThat(store.alarms).as("a rung alarm is gone from the store").doesNotContainKey(KEY);
    advance(Duration.ofSeconds(3));
    assertThat(received("c1")).containsExactly("alarm set", "ring");
  }

  @Test
  void anAlarmDueWhileTheOwnerIsCutOffFromTheStoreRingsOnceItAnswersAgain() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();
    Duration due = CUT_OFF_AFTER.plus(FakeStores.TTL);
    send("c1", "alarm:" + due.toMillis());
    threads.runAll();

    store.cut();
    advanceInSteps(due.plusSeconds(2));
    assertThat(runtime.store().cutOff()).isTrue();
    assertThat(received("c1"))
        .as("no room code on a lease that may have expired")
        .containsExactly("alarm set");

    store.heal();
    advanceInStepsWithAGateway(Duration.ofSeconds(3));
    assertThat(received("c1")).containsExactly("alarm set", "ring");
  }

  @Test
  void anEvictedInstancesAlarmIsLeftToTheGatewaysWhoseRaiseWakesIt() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();
    send("c1", "alarm:" + IDLE_TIMEOUT.plusSeconds(3).toMillis());
    threads.runAll();
    advance(IDLE_TIMEOUT.plusMillis(200));
    assertThat(runtime.isActive(KEY)).isFalse();

    advance(Duration.ofSeconds(3));
    assertThat(received("c1"))
        .as("no timer of the evicted instance takes its lease back here")
        .containsExactly("alarm set");
    assertThat(starts).isEqualTo(1);

    raiseDueAsAGateway(clock.epochMillis());
    assertThat(received("c1")).containsExactly("alarm set", "ring");
    assertThat(starts).isEqualTo(2);
  }

  /** A gateway's watcher polls the index by its clock, {@code gatewayNowMillis}; how many it raised. */
  int raiseDueAsAGateway(long gatewayNowMillis) {
    List<RoomKey> due = store.claimDue(gatewayNowMillis);
    due.forEach(key -> runtime.offer(new RoomEvent.Alarm(key, "gw")));
    threads.runAll();
    return due.size();
  }

  @Test
  void aGatewayWhoseClockRunsAheadRaisesAnAlarmOnceAndItRingsAtItsTime() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();
    send("c1", "alarm:5000");
    threads.runAll();
    long skew = 3_000;
    advance(Duration.ofSeconds(2));

    int raises = 0;
    for (int poll = 0; poll < 16; poll++) {
      raises += raiseDueAsAGateway(clock.epochMillis() + skew);
      advance(Duration.ofMillis(250)); // the watchers' poll period
    }

    assertThat(raises).as("claimed once: the owner kept the early claim").isEqualTo(1);
    assertThat(starts).isEqualTo(1);
    assertThat(received("c1")).containsExactly("alarm set", "ring");
    assertThat(store.alarmIndex).doesNotContainKey(KEY);
  }

  @Test
  void
      anAlarmOverrunningItsEventTimeoutIsHeldThenRecordedFailedAtOnceAndItsLateReturnSettlesNothing() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();
    send("c1", "store:overrun=1");
    send("c1", "alarm:1000");
    threads.runAll();
    long due = clock.epochMillis() + 1000;

    advance(Duration.ofMillis(1000));

    assertThat(indexWhileRinging)
        .as("claimed for its eventTimeout and the claim timeout: nobody raises it meanwhile")
        .isEqualTo(due + EVENT_TIMEOUT.toMillis() + AlarmIndex.CLAIM_TIMEOUT.toMillis());
    assertThat(alarmWhileStuck)
        .as("recorded failed while its thread is still inside onAlarm")
        .isNotNull()
        .extracting(AlarmRecord::retries)
        .isEqualTo(1);
    assertThat(store.alarms.get(KEY))
        .as("its late return records nothing")
        .isEqualTo(alarmWhileStuck);
    assertThat(store.alarmIndex).containsEntry(KEY, alarmWhileStuck.dueMillis());
    assertThat(metrics.alarmsRetried()).isEqualTo(1);
  }

  @Test
  void aCancelledAlarmNeverRingsAndAReplacedOneRingsOnlyAtItsNewTime() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();
    send("c1", "alarm:1000");
    send("c1", "cancel");
    threads.runAll();
    advance(Duration.ofSeconds(2));
    assertThat(received("c1")).containsExactly("alarm set", "cancelled");
    assertThat(store.alarms).doesNotContainKey(KEY);

    send("c1", "alarm:1000");
    send("c1", "alarm:3000");
    threads.runAll();
    advance(Duration.ofMillis(2000));
    assertThat(received("c1")).as("not at the replaced time").doesNotContain("ring");
    advance(Duration.ofMillis(1100));
    assertThat(received("c1")).filteredOn("ring"::equals).hasSize(1);
  }

  @Test
  void anAlarmReplacedAfterItsTimerCameDueButBeforeItWasHandledRingsOnceAtItsNewTime() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();
    send("c1", "alarm:1000");
    threads.runAll();

    // The room is busy with a message that moves the alarm when the old timer comes due: the
    // timer's
    // alarm waits behind it in the mailbox.
    send("c1", "alarm:3000");
    clock.advance(Duration.ofMillis(1100));
    threads.runAll();
    assertThat(received("c1"))
        .as("the replaced alarm does not ring")
        .containsExactly("alarm set", "alarm set");

    advance(Duration.ofMillis(3100));
    assertThat(received("c1")).containsExactly("alarm set", "alarm set", "ring");
    assertThat(store.alarms).doesNotContainKey(KEY);
    advance(Duration.ofSeconds(5));
    assertThat(received("c1"))
        .as("rung once, its timer not lost to the replaced one's")
        .containsExactly("alarm set", "alarm set", "ring");
  }

  @Test
  void anAlarmClaimedByAGatewayAndRaisedByTheOwnersTimerRingsOnce() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();
    send("c1", "alarm:1000");
    threads.runAll();

    clock.advance(Duration.ofMillis(1000));
    // A gateway's watcher polls at the same moment: it claims the alarm and sends it to the owner.
    for (RoomKey due : store.claimDue(clock.epochMillis())) {
      runtime.offer(new RoomEvent.Alarm(due, "gw"));
    }
    threads.runAll();
    advance(Duration.ofSeconds(15));

    assertThat(received("c1")).containsExactly("alarm set", "ring");
    assertThat(store.alarmIndex).as("settled: nothing left to raise").doesNotContainKey(KEY);
    assertThat(metrics.alarmsRaised()).isEqualTo(1);
  }

  @Test
  void aGatewaysAlarmForAnInstanceNotInMemoryWakesItAndAStaleOneIsDropped() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();
    send("c1", "alarm:" + IDLE_TIMEOUT.plusSeconds(3).toMillis());
    threads.runAll();
    advance(IDLE_TIMEOUT.plusMillis(200));
    assertThat(runtime.isActive(KEY)).isFalse();

    runtime.offer(new RoomEvent.Alarm(KEY, "gw"));
    threads.runAll();
    assertThat(received("c1")).as("not due yet: dropped").containsExactly("alarm set");

    clock.advance(Duration.ofSeconds(3));
    store
        .claimDue(clock.epochMillis())
        .forEach(due -> runtime.offer(new RoomEvent.Alarm(due, "gw")));
    threads.runAll();
    runtime.offer(new RoomEvent.Alarm(KEY, "gw")); // raised again, as after a claim timed out
    threads.runAll();

    assertThat(received("c1")).containsExactly("alarm set", "ring");
  }

  @Test
  void aThrowingAlarmIsRetriedSixTimesWithDoublingBackoffSeeingItsRetryCountThenDropped() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();
    send("c1", "store:fail=99");
    send("c1", "alarm:1000");
    threads.runAll();
    long due = clock.epochMillis() + 1000;

    // Evicted between the longer backoffs, the instance is woken by a gateway's raise.
    advanceInStepsWithAGateway(Duration.ofMinutes(3));

    List<String> rings = received("c1").stream().filter(r -> r.startsWith("ring:")).toList();
    assertThat(rings)
        .as("the first attempt, then retries 2 s, 4 s, ... 64 s after each failure")
        .containsExactly(
            "ring:0 at " + due,
            "ring:1 at " + (due + 2_000),
            "ring:2 at " + (due + 6_000),
            "ring:3 at " + (due + 14_000),
            "ring:4 at " + (due + 30_000),
            "ring:5 at " + (due + 62_000),
            "ring:6 at " + (due + 126_000));
    assertThat(store.alarms).as("dropped after the last retry").doesNotContainKey(KEY);
    assertThat(store.alarmIndex).doesNotContainKey(KEY);
    assertThat(metrics.alarmsRetried()).isEqualTo(6);
    assertThat(metrics.alarmsDropped()).isEqualTo(1);
  }

  @Test
  void anAlarmThatSucceedsOnARetryIsDeletedAndOneSetDuringAFailedAttemptStands() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();
    send("c1", "store:fail=1");
    send("c1", "alarm:1000");
    threads.runAll();
    advanceInSteps(Duration.ofSeconds(4));
    assertThat(received("c1")).filteredOn(r -> r.startsWith("ring:")).hasSize(2);
    assertThat(store.alarms).as("succeeded on its first retry: deleted").doesNotContainKey(KEY);
    assertThat(metrics.alarmsDropped()).isZero();

    advanceInSteps(Duration.ofMinutes(1));
    assertThat(received("c1")).filteredOn(r -> r.startsWith("ring:")).hasSize(2);
  }

  @Test
  void aRoomThatCannotStartRefusesWhatWaitsPastTheWakeTimeoutAndStartsOnceTheStoreIsBack() {
    store.down = true;
    RoomEvent.Connect connect = connectEvent(KEY, "c1");
    runtime.offer(connect);
    send("c2", "hello");
    threads.runAll();

    for (int i = 0; i < WAKE_TIMEOUT.toMillis() / 100 - 1; i++) {
      advance(Duration.ofMillis(100));
    }
    assertThat(connect.outcome()).as("retried with backoff within the wake timeout").isNotDone();
    advance(Duration.ofMillis(2100));

    assertThat(connect.outcome())
        .isCompletedWithValue(
            ConnectOutcome.refused(503, "Room did not wake in time, try again later"));
    assertThat(gateway.closes)
        .containsExactly(
            new RecordingClientSink.Closed(
                "gw", "c2", 1013, "Room did not wake in time, try again later"));
    store.down = false;
    assertThat(connect(KEY, "c3").accepted()).isTrue();
  }

  @Test
  void refusedPastTheWakeTimeoutThenANewEventIsHandledByOneDrainAndOneInstance() {
    store.down = true;
    RoomEvent.Connect refused = connectEvent(KEY, "c1");
    RoomEvent.Connect again = connectEvent(KEY, "c1-again");
    // The client connects again the moment it is refused, while the refusing drain is still on its
    // thread; and while an instance starts, the other room threads run whatever is queued.
    refused
        .outcome()
        .thenRun(
            () -> {
              store.down = false;
              runtime.offer(again);
              duringStart = threads::runAll;
            });
    runtime.offer(refused);
    threads.runAll();

    advance(WAKE_TIMEOUT.plusMillis(100));

    assertThat(refused.outcome().join().status()).isEqualTo(503);
    assertThat(again.outcome().join().accepted()).isTrue();
    assertThat(starts).as("one instance, started by one drain").isEqualTo(1);
    send("c1-again", "hello");
    threads.runAll();
    assertThat(received("c1-again")).containsExactly("echo:hello");
  }

  @Test
  void roomCodeFromAJarRunsWithTheJarsLoaderAsItsContextClassLoader(@TempDir Path lib)
      throws Exception {
    CustomRoomJar.write(
        lib.resolve("context.jar"),
        "acme.ContextRoom",
        """
        package acme;
        import dev.dormouse.room.*;
        public class ContextRoom implements Room {
          private final String constructed = seen();
          private String started;
          public void onStart(RoomContext context) {
            started = seen();
          }
          public void onMessage(RoomSocket socket, Message message) {
            socket.send(constructed + " | " + started + " | " + seen());
          }
          /** What libraries bundled with the room would find through the context class loader. */
          private static String seen() {
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            return finds(context, ContextRoom.class.getName())
                + ", " + finds(context, "io.lettuce.core.RedisClient");
          }
          private static String finds(ClassLoader loader, String name) {
            try {
              return loader.loadClass(name) == ContextRoom.class ? "the room" : "finds " + name;
            } catch (ClassNotFoundException e) {
              return "not " + name;
            }
          }
        }
        """);
    HandlerResolver jarRooms = HandlerResolver.forLibrary(lib, getClass().getClassLoader());
    runtime.close();
    runtime = runtimeWith(handler -> jarRooms.resolve("acme.ContextRoom"));
    ClassLoader before = Thread.currentThread().getContextClassLoader();

    assertThat(connect(KEY, "c1").accepted()).isTrue();
    send("c1", "which loader?");
    threads.runAll();

    String seen = "the room, not io.lettuce.core.RedisClient";
    assertThat(received("c1")).containsExactly(seen + " | " + seen + " | " + seen);
    assertThat(Thread.currentThread().getContextClassLoader())
        .as("the room thread's own loader is back once room code returns")
        .isSameAs(before);
  }

  @Test
  void pastTheWakeBufferOfAWakingRoomAConnectIsRefusedAndAMessageTurnedAway() {
    store.down = true;
    runtime.offer(connectEvent(KEY, "c1"));
    IntStream.range(1, WAKE_BUFFER).forEach(i -> send("c2", "waits " + i));
    threads.runAll();

    RoomEvent.Connect third = connectEvent(KEY, "c3");
    runtime.offer(third);
    RoomEvent.Incoming fourth =
        new RoomEvent.Incoming(KEY, "gw", "c4", Message.text("no room"), new CompletableFuture<>());

    assertThat(third.outcome())
        .isCompletedWithValue(ConnectOutcome.refused(503, "Room is overloaded, try again later"));
    assertThat(runtime.offer(fourth)).as("the gateway closes its sender").isFalse();
    assertThat(metrics.errors("overload")).isEqualTo(2);
    store.down = false;
    advance(Duration.ofSeconds(1));
    assertThat(starts).as("what the buffer held is served once the room wakes").isEqualTo(1);
  }

  @Test
  void aConnectWhileTheStoreIsDownIsRefusedAndTheInstanceStays() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();
    store.down = true;

    ConnectOutcome refused = connect(KEY, "c2");

    assertThat(refused)
        .isEqualTo(ConnectOutcome.refused(503, "Room storage unavailable, try again later"));
    store.down = false;
    send("c1", "still here");
    threads.runAll();
    assertThat(received("c1")).containsExactly("echo:still here");
    assertThat(starts).isEqualTo(1);
  }

  @Test
  void connectsIntoOneInstanceWriteTheirRecordsAtOnceAndEachIsAcceptedOnceItsRecordLanded() {
    assertThat(connect(KEY, "c0").accepted()).isTrue();
    store.recordWritesHeld = true;
    List<RoomEvent.Connect> connects =
        IntStream.range(1, 6).mapToObj(i -> connectEvent(KEY, "c" + i)).toList();
    connects.forEach(runtime::offer);
    threads.runAll();

    assertThat(store.recordWrites).as("every record in flight at once").hasSize(5);
    assertThat(connects).noneMatch(c -> c.outcome().isDone());
    send("c0", "meanwhile");
    threads.runAll();
    assertThat(received("c0"))
        .as("the mailbox went on, its output held behind the writes")
        .isEmpty();

    store.landRecordWrites();

    assertThat(connects).allMatch(c -> c.outcome().join().accepted());
    assertThat(store.connections.get(KEY)).containsOnlyKeys("c0", "c1", "c2", "c3", "c4", "c5");
    assertThat(received("c0")).containsExactly("echo:meanwhile");
  }

  @Test
  void whatTheRoomSendsOnAConnectWaitsForItsRecordAndGoesAfterTheAcceptInOrder() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();
    store.recordWritesHeld = true;
    RoomEvent.Connect joining = connectEvent(KEY, "greeted-2");
    List<Integer> sentWhenAccepted = new ArrayList<>();
    joining.outcome().thenRun(() -> sentWhenAccepted.add(gateway.sent.size()));
    runtime.offer(joining);
    send("c1", "after the join");
    threads.runAll();

    assertThat(gateway.sent).as("nothing goes before the joiner's record lands").isEmpty();
    assertThat(joining.outcome()).isNotDone();

    store.landRecordWrites();

    assertThat(sentWhenAccepted).as("the accept went before what was held").containsExactly(0);
    assertThat(received("greeted-2")).containsExactly("welcome greeted-2");
    assertThat(received("c1")).containsExactly("joined:greeted-2", "echo:after the join");
  }

  @Test
  void aRegistrationThatFailsRefusesTheClientTheRoomHearsItClosedAndWhatWasHeldForOthersGoes() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();
    store.recordWritesHeld = true;
    RoomEvent.Connect joining = connectEvent(KEY, "greeted-2");
    runtime.offer(joining);
    threads.runAll();

    store.down = true;
    store.landRecordWrites();
    store.down = false;
    store.recordWritesHeld = false;
    threads.runAll();

    assertThat(joining.outcome().join())
        .isEqualTo(ConnectOutcome.refused(503, "Room storage unavailable, try again later"));
    assertThat(received("greeted-2")).as("nothing goes to the refused socket").isEmpty();
    assertThat(received("c1")).containsExactly("joined:greeted-2");
    assertThat(rooms.get(0).closed).containsExactly("greeted-2:1013");
    assertThat(store.connections.get(KEY)).containsOnlyKeys("c1");
    assertThat(metrics.errors("storage")).isEqualTo(1);
    send("c1", "still here");
    threads.runAll();
    assertThat(received("c1")).containsExactly("joined:greeted-2", "echo:still here");
    assertThat(starts).as("the instance stayed").isEqualTo(1);
  }

  @Test
  void aRegistrationRefusedAsStaleEndsTheInstanceAndItsClientIsToldToTryAgain() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();
    store.recordWritesHeld = true;
    RoomEvent.Connect joining = connectEvent(KEY, "c2");
    runtime.offer(joining);
    threads.runAll();

    store.passTo(KEY, "owner-b");
    store.landRecordWrites();
    threads.runAll();

    assertThat(joining.outcome().join().status()).isEqualTo(503);
    assertThat(store.connections.get(KEY)).containsOnlyKeys("c1");
    assertLeaseLostTo("owner-b");
  }

  @Test
  void aConnectionThatClosesAsItConnectsLeavesNoRecordAndItsCloseIsDoneOnceTheRecordIsGone() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();
    store.recordWritesHeld = true;
    RoomEvent.Connect connect = connectEvent(KEY, "c2");
    runtime.offer(connect);
    RoomEvent.Close close =
        new RoomEvent.Close(KEY, "gw", "c2", 1000, "", true, false, new CompletableFuture<>());
    runtime.offer(close);
    threads.runAll();
    assertThat(store.recordWrites).hasSize(2);
    assertThat(close.done()).isNotDone();

    store.landRecordWrites();

    assertThat(connect.outcome().join().accepted()).isTrue();
    assertThat(close.done()).isDone();
    assertThat(store.connections.get(KEY)).containsOnlyKeys("c1");
  }

  @Test
  void anInstanceWithARecordWriteInFlightIsNotEvictedAsIdle() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();
    store.recordWritesHeld = true;
    RoomEvent.Connect connect = connectEvent(KEY, "c2");
    runtime.offer(connect);
    threads.runAll();

    advance(IDLE_TIMEOUT.plusSeconds(1));
    assertThat(runtime.isActive(KEY)).isTrue();

    store.landRecordWrites();
    assertThat(connect.outcome().join().accepted()).isTrue();
    advance(IDLE_TIMEOUT.plusSeconds(1));
    assertThat(runtime.isActive(KEY)).isFalse();
  }

  @Test
  void aMessageFromAConnectionTheRoomDoesNotKnowClosesItWithConnectAgain() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();

    RoomEvent.Incoming stray = send("ghost", "hello");
    threads.runAll();

    assertThat(gateway.closes)
        .containsExactly(
            new RecordingClientSink.Closed(
                "gw", "ghost", 1013, "Connection no longer known to its room, connect again"));
    assertThat(stray.handled()).isDone();
  }

  /** Not deleted, maybe: this owner's catalog may lag behind the gateway's. */
  @Test
  void aConnectForARoomThisOwnerDoesNotKnowGetsNotFoundAndAMessageIsClosedWithTryAgain() {
    RoomKey nowhere = RoomKey.of("default", "nowhere");
    RoomEvent.Connect connect = connectEvent(nowhere, "c1");

    runtime.offer(connect);
    RoomEvent.Incoming message = send(nowhere, "c2", "hello");

    assertThat(connect.outcome())
        .isCompletedWithValue(ConnectOutcome.refused(404, "No such room on this owner, try again"));
    assertThat(gateway.closes)
        .containsExactly(
            new RecordingClientSink.Closed(
                "gw", "c2", 1013, "No such room on this owner, try again"));
    assertThat(message.handled()).isDone();
    assertThat(starts).isZero();
  }

  @Test
  void theRoomReadsItsSpecsEnv() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();
    send("c1", "env:GREETING");
    threads.runAll();
    assertThat(received("c1")).containsExactly("hello from the spec");
  }

  // Each instance's history, as the admin page shows it: what woke it, how long that took, and why
  // it left memory, on the owner's clock.

  /** KEY's transitions as this owner told the store, as {@code KIND reason}. */
  List<String> transitions() {
    return store.transitions.getOrDefault(KEY, List.of()).stream()
        .map(t -> t.kind() + " " + t.reason())
        .toList();
  }

  @Test
  void eachWakeIsRecordedWithWhatWokeItAndHowLongItTookAndEachIdleEvictionAsIdle() {
    long connectedAt = clock.epochMillis();
    assertThat(connect(KEY, "c1").accepted()).isTrue();
    advance(IDLE_TIMEOUT.plusSeconds(1));
    duringStart = () -> clock.advance(Duration.ofMillis(40));
    send("c1", "hello");
    threads.runAll();
    advance(IDLE_TIMEOUT.plusSeconds(1));
    runtime.offer(new RoomEvent.Alarm(KEY, "gw"));
    threads.runAll();

    assertThat(transitions())
        .containsExactly(
            "WOKE connect", "HIBERNATED idle", "WOKE message", "HIBERNATED idle", "WOKE alarm");
    List<InstanceTransition> recorded = store.transitions.get(KEY);
    assertThat(recorded).extracting(InstanceTransition::owner).containsOnly("owner-a");
    assertThat(recorded.get(0).at()).isEqualTo(Instant.ofEpochMilli(connectedAt));
    assertThat(recorded.get(2).revival()).contains(Duration.ofMillis(40));
    assertThat(recorded.get(1).revival()).isEmpty();
  }

  @Test
  void anInstanceResetAfterItsHandlerThrewOrOverranIsRecordedAsReset() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();
    send("c1", "throw");
    threads.runAll();
    send("c1", "slow");
    threads.runAll();

    assertThat(transitions())
        .containsExactly("WOKE connect", "HIBERNATED reset", "WOKE message", "HIBERNATED reset");
  }

  @Test
  void anInstanceWhoseLeaseWasTakenIsRecordedAsLeaseLostFoundOnRenewalOrByAStaleWrite() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();
    store.passTo(KEY, "owner-b");
    advance(RENEWAL.plusMillis(100));
    assertThat(connect(OTHER_KEY, "c2").accepted()).isTrue();
    store.passTo(OTHER_KEY, "owner-b");
    send(OTHER_KEY, "c2", "store:k=v");
    threads.runAll();

    assertThat(transitions()).containsExactly("WOKE connect", "HIBERNATED lease lost");
    assertThat(store.transitions.get(OTHER_KEY))
        .extracting(t -> t.kind() + " " + t.reason())
        .containsExactly("WOKE connect", "HIBERNATED lease lost");
  }

  @Test
  void instancesLetGoWithNoGatewayLinkedAreRecordedAsSuch() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();
    linkedGateways = 0;
    advanceInSteps(GatewayAbsence.LET_GO_AFTER.plusMillis(300));

    assertThat(transitions()).containsExactly("WOKE connect", "HIBERNATED no gateway");
  }

  @Test
  void instancesEvictedByADrainAreRecordedAsShutdown() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();
    runtime.drain();
    advance(Duration.ofMillis(200));

    assertThat(transitions()).containsExactly("WOKE connect", "HIBERNATED shutdown");
  }

  @Test
  void instancesInMemoryWhenTheRuntimeClosesAreRecordedAsShutdown() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();
    runtime.close();

    assertThat(transitions()).containsExactly("WOKE connect", "HIBERNATED shutdown");
  }

  // A room that is AutoCloseable (every JavaScript room: its engine context) is closed once when
  // its
  // instance leaves memory, whatever the reason.

  /** The room of the instance's first activation, closed exactly once by now. */
  void assertFirstRoomClosedOnce() {
    assertThat(rooms).isNotEmpty();
    assertThat(rooms.get(0).closes).as("closes of the first room").isEqualTo(1);
  }

  RoomEvent.Command command(RoomKey key, RoomEvent.Command.Action action) {
    RoomEvent.Command command = new RoomEvent.Command(key, "gw", action, new CompletableFuture<>());
    assertThat(runtime.offer(command)).isTrue();
    threads.runAll();
    return command;
  }

  @Test
  void aHibernateCommandEvictsTheInstanceAtTheNextSweepKeepingItsSockets() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();

    RoomEvent.Command hibernate = command(KEY, RoomEvent.Command.Action.HIBERNATE);
    assertThat(hibernate.done()).isCompletedWithValue(Optional.empty());
    advance(Duration.ofMillis(200)); // the sweep, long before the idle timeout

    assertThat(runtime.isActive(KEY)).isFalse();
    assertThat(metrics.evictions()).isEqualTo(1);
    assertThat(store.holder(KEY)).as("lease released").isEmpty();
    assertThat(rooms.get(0).closed).as("its sockets were not closed").isEmpty();
    assertThat(gateway.closes).isEmpty();
    send("c1", "after");
    threads.runAll();
    assertThat(received("c1")).containsExactly("echo:after");
    assertThat(starts).as("revived by the next message").isEqualTo(2);
    assertThat(transitions()).containsExactly("WOKE connect", "HIBERNATED admin", "WOKE message");
  }

  @Test
  void aHibernateCommandForAnInstanceNotInMemoryStartsNothing() {
    RoomEvent.Command hibernate = command(KEY, RoomEvent.Command.Action.HIBERNATE);
    advance(Duration.ofMillis(200));

    assertThat(hibernate.done()).isCompletedWithValue(Optional.empty());
    assertThat(starts).isZero();
    assertThat(store.holder(KEY)).as("no lease kept").isEmpty();
  }

  @Test
  void aWakeCommandActivatesTheInstanceWithoutRoomCodeAndItIdlesFromThen() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();
    advance(IDLE_TIMEOUT.plusSeconds(1));
    assertThat(runtime.isActive(KEY)).isFalse();

    RoomEvent.Command wake = command(KEY, RoomEvent.Command.Action.WAKE);

    assertThat(wake.done()).isCompletedWithValue(Optional.empty());
    assertThat(runtime.isActive(KEY)).isTrue();
    assertThat(starts).isEqualTo(2);
    assertThat(received("c1")).as("no room code beyond onStart").isEmpty();
    advance(IDLE_TIMEOUT.minusSeconds(1));
    assertThat(runtime.isActive(KEY)).as("idle counted from the wake").isTrue();
    advance(Duration.ofSeconds(2));
    assertThat(runtime.isActive(KEY)).isFalse();
    assertThat(transitions())
        .containsExactly("WOKE connect", "HIBERNATED idle", "WOKE admin", "HIBERNATED idle");
  }

  @Test
  void aCommandForAnInstanceAnotherOwnerHoldsIsHandedBackNamingIt() {
    store.passTo(KEY, "owner-b");
    RoomEvent.Command hibernate = command(KEY, RoomEvent.Command.Action.HIBERNATE);

    assertThat(hibernate.done()).isNotDone();
    assertHandedBackOnly(hibernate, Optional.of("owner-b"));
  }

  @Test
  void aCommandForARoomThisOwnerDoesNotServeIsRefused() {
    RoomEvent.Command wake =
        command(RoomKey.of("default", "elsewhere"), RoomEvent.Command.Action.WAKE);

    assertThat(wake.done()).isCompletedWithValue(Optional.of(Refusal.ROOM_NOT_SERVED));
  }

  @Test
  void anIdleInstancesRoomIsClosedOnceWhenItIsEvicted() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();
    advance(IDLE_TIMEOUT.minusSeconds(1));
    assertThat(rooms.get(0).closes).as("in memory, not closed").isZero();

    advance(Duration.ofSeconds(2));
    advance(IDLE_TIMEOUT.multipliedBy(2));

    assertThat(runtime.isActive(KEY)).isFalse();
    assertFirstRoomClosedOnce();
  }

  @Test
  void aRoomWhoseHandlerThrewIsClosedOnceAndTheNextEventGetsAFreshOne() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();
    send("c1", "throw");
    threads.runAll();
    assertFirstRoomClosedOnce();

    send("c1", "again");
    threads.runAll();

    assertThat(received("c1")).containsExactly("echo:again");
    assertThat(rooms).hasSize(2);
    assertThat(rooms.get(1).closes).isZero();
    advance(IDLE_TIMEOUT.plusSeconds(1));
    assertFirstRoomClosedOnce();
    assertThat(rooms.get(1).closes).isEqualTo(1);
  }

  @Test
  void aRoomWhoseHandlerOverranIsClosedByAnotherThreadWhileTheHandlerStillRuns() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();

    send("c1", "slow-watched");
    threads.runAll();

    assertThat(rooms.get(0).closesWhileStuck)
        .as("closed while stuck: closing a JavaScript room stops its runaway handler")
        .isEqualTo(1);
    assertFirstRoomClosedOnce();
  }

  @Test
  void aRoomWhoseLeaseARenewalFoundTakenIsClosed() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();
    store.passTo(KEY, "owner-b");

    advance(RENEWAL.plusMillis(100));

    assertThat(runtime.isActive(KEY)).isFalse();
    assertFirstRoomClosedOnce();
  }

  @Test
  void aRoomWhoseLeaseWasTakenWhileItsRenewalsWereLateIsClosed() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();
    store.renewalsUnanswered = true;
    advance(FakeStores.TTL);
    store.passTo(KEY, "owner-b");

    send("c1", "hello");
    threads.runAll();

    assertThat(handedBack()).hasSize(1);
    assertFirstRoomClosedOnce();
  }

  @Test
  void withNoGatewayLinkedTheRoomsOfTheInstancesLetGoAreClosed() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();

    linkedGateways = 0;
    advanceInSteps(GatewayAbsence.LET_GO_AFTER.plusMillis(300));

    assertThat(runtime.isActive(KEY)).isFalse();
    assertFirstRoomClosedOnce();
  }

  @Test
  void theRoomsInMemoryAreClosedWhenTheRuntimeCloses() {
    assertThat(connect(KEY, "c1").accepted()).isTrue();
    assertThat(connect(OTHER_KEY, "c2").accepted()).isTrue();

    runtime.close();
    threads.runAll(); // the room threads finish what was queued before they stop

    assertThat(rooms).hasSize(2).allSatisfy(room -> assertThat(room.closes).isEqualTo(1));
  }

  @Test
  void aRoomWhoseStartFailedIsClosed() {
    duringStart =
        () -> {
          throw new IllegalStateException("onStart failed on purpose");
        };
    RoomEvent.Connect connect = connectEvent(KEY, "c1");
    runtime.offer(connect);
    threads.runAll();
    advance(Duration.ofSeconds(1)); // the activation's retry

    assertThat(connect.outcome().join().accepted()).isTrue();
    assertThat(rooms).hasSize(2);
    assertFirstRoomClosedOnce();
    assertThat(rooms.get(1).closes).as("the instance that started runs").isZero();
  }

  @Test
  void aCloseThatThrowsIsLoggedAndTheEvictionGoesOn() {
    closeFails = true;
    assertThat(connect(KEY, "c1").accepted()).isTrue();

    advance(IDLE_TIMEOUT.plusSeconds(1));

    assertFirstRoomClosedOnce();
    assertThat(runtime.isActive(KEY)).isFalse();
    assertThat(store.holder(KEY)).as("lease released for the next owner").isEmpty();
    assertThat(metrics.evictions()).isEqualTo(1);
    send("c1", "back");
    threads.runAll();
    assertThat(received("c1")).containsExactly("echo:back");
  }

  // A room whose code failed to load (a JavaScript module with a syntax error, say).

  @Test
  void aRoomWhoseCodeFailedToLoadIsRefusedAtOnceWithTheErrorAndReportsIt() {
    runtime.close();
    String error = "chat/room.mjs:3:7: SyntaxError: Unexpected token '}'";
    runtime =
        runtimeWith(
            handler -> {
              throw new RoomCodeFailure(error, null);
            });
    String refusal = "room code failed to load: " + error;

    RoomEvent.Connect connect = connectEvent(KEY, "c1");
    RoomEvent.Request request =
        new RoomEvent.Request(KEY, "gw", RoomRequest.get("/"), new CompletableFuture<>());
    runtime.offer(connect);
    runtime.offer(request);
    RoomEvent.Incoming message = send("c2", "hello");

    // Answered on the offering thread: no activation is tried, no wake timeout waited out.
    assertThat(connect.outcome()).isCompletedWithValue(ConnectOutcome.refused(503, refusal));
    assertThat(request.response().join().status()).isEqualTo(503);
    assertThat(request.response().join().bodyText()).isEqualTo(refusal);
    assertThat(gateway.closes)
        .containsExactly(new RecordingClientSink.Closed("gw", "c2", 1013, refusal));
    assertThat(message.handled()).isDone();
    threads.runAll();
    assertThat(starts).isZero();
    assertThat(store.holder(KEY)).as("no lease taken").isEmpty();
    assertThat(runtime.activity(clock.epochMillis()))
        .containsEntry("default/scripted", new ActivityReport(0, 0, clock.epochMillis(), error));
  }
}
