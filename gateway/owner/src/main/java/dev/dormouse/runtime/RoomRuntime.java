package dev.dormouse.runtime;

import dev.dormouse.admin.Metrics;
import dev.dormouse.config.RoomCatalog;
import dev.dormouse.config.RoomSettings;
import dev.dormouse.contract.ActivityReport;
import dev.dormouse.link.ClientSink;
import dev.dormouse.link.Refusal;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.link.RoomEventSink;
import dev.dormouse.room.Room;
import dev.dormouse.room.RoomKey;
import dev.dormouse.store.RoomStores;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs room code (the owner role). One {@link Mailbox} per room key keeps that instance's events in
 * arrival order, one at a time; different instances run concurrently on a shared pool. Each event goes
 * through the {@link EventRunner} (lease, activation, handler under the {@link EventWatchdog});
 * {@link Mailboxes} evicts idle instances (all of them once no gateway is linked, {@link
 * GatewayAbsence}), {@link LeaseKeeper}s keep their leases renewed, {@link Alarms} raise, check and retry their
 * alarms and the {@link StoreWatch} tells when the store stops answering.
 */
public final class RoomRuntime implements RoomEventSink, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RoomRuntime.class);
  private static final long SWEEP_MILLIS = 100;

  /** How long {@link #close} waits for queued events to be handled. */
  private static final long CLOSE_WAIT_NANOS = Duration.ofSeconds(10).toNanos();

  /** Where the runtime's time and threads come from. */
  record Scheduling(OwnerClock clock, RoomThreads threads) {

    static Scheduling system(int threads) {
      SystemClock clock = new SystemClock();
      return new Scheduling(clock, new HandlerPool(threads, clock.timers()));
    }
  }

  private final RoomCatalog catalog;
  private final Function<String, Supplier<Room>> handlers;
  private final Metrics metrics;
  private final OwnerClock clock;
  private final RoomThreads threads;
  private final ClientSink sink;
  private final Mailboxes mailboxes;
  private final StoreWatch store;
  private final Alarms alarms;
  private final HibernatedInstances hibernated = new HibernatedInstances();
  private volatile boolean draining;

  public RoomRuntime(
      String ownerId,
      RoomCatalog catalog,
      HandlerResolver handlers,
      RoomStores stores,
      ClientSink sink,
      Metrics metrics,
      int threads,
      Duration wakeTimeout,
      IntSupplier linkedGateways) {
    this(
        ownerId,
        catalog,
        handlers::resolve,
        stores,
        sink,
        metrics,
        wakeTimeout,
        linkedGateways,
        Scheduling.system(threads));
  }

  /**
   * @param handlers turns a room's {@code spec.handler} into a factory of room objects; it runs on
   *     the link's I/O thread, so it must answer from what it resolved when the room was loaded
   * @param linkedGateways how many gateways are linked now: with none for a while, the instances go
   */
  RoomRuntime(
      String ownerId,
      RoomCatalog catalog,
      Function<String, Supplier<Room>> handlers,
      RoomStores stores,
      ClientSink sink,
      Metrics metrics,
      Duration wakeTimeout,
      IntSupplier linkedGateways,
      Scheduling scheduling) {
    this.catalog = catalog;
    this.handlers = handlers;
    this.metrics = metrics;
    this.clock = scheduling.clock();
    this.threads = scheduling.threads();
    this.sink = sink;
    this.alarms = new Alarms(stores.alarms(), clock, metrics, this::offer);
    Duration cutOffAfter = StoreWatch.cutOffAfter(stores.leases().ttl());
    this.store = new StoreWatch(stores.probe(), clock, cutOffAfter);
    EventRunner runner =
        new EventRunner(
            stores,
            sink,
            metrics,
            clock,
            threads,
            wakeTimeout,
            () -> draining,
            store::cutOff,
            alarms,
            new RoomCalls(sink, this::offer, metrics),
            new RoomCloser(threads));
    Transitions transitions = new Transitions(stores.history(), ownerId, clock);
    this.mailboxes =
        new Mailboxes(
            (key, settings, room) ->
                new Mailbox(
                    key,
                    settings,
                    room,
                    new LeaseKeeper(key, ownerId, stores.leases(), clock),
                    transitions,
                    threads,
                    runner,
                    clock.epochMillis()),
            clock);
    GatewayAbsence absence = new GatewayAbsence(linkedGateways, clock, GatewayAbsence.LET_GO_AFTER);
    clock.repeat(
        SWEEP_MILLIS,
        () -> {
          boolean alone = absence.alone();
          mailboxes.evictIdle(alone || draining, mailbox -> evicted(mailbox, alone));
        });
    // Events waiting out an activation's backoff need not wait once they can only be handed back.
    store.listen(
        cutOff -> {
          if (cutOff) {
            mailboxes.all().forEach(Mailbox::retryNow);
          }
        });
    clock.repeat(StoreWatch.periodMillis(cutOffAfter), store::check);
    clock.repeat(
        Math.max(50, stores.leases().ttl().toMillis() / 3),
        () -> mailboxes.all().forEach(mailbox -> mailbox.lease.renewInBackground()));
    metrics.gauge("dormouse_instances_active", "Room instances in memory", this::activeInstances);
    metrics.gauge(
        "dormouse_instances_hibernated",
        "Instances this owner evicted with sockets still open at gateways, not revived since",
        () -> hibernated.count(this::isActive));
    metrics.countErrors("lease-lost");
    metrics.gauge(
        "dormouse_room_threads_waiting_on_redis",
        "Room threads waiting on Redis past the grace, each stood in for by another",
        threads::waitingReplaced);
  }

  /** Whether this owner reaches the store; listen to hear when that changes. */
  public StoreWatch store() {
    return store;
  }

  public int activeInstances() {
    return (int) mailboxes.all().stream().filter(m -> m.instance != null).count();
  }

  public boolean isActive(RoomKey key) {
    Mailbox mailbox = mailboxes.get(key);
    return mailbox != null && mailbox.instance != null;
  }

  @Override
  public boolean offer(RoomEvent event) {
    RoomKey key = event.key();
    Optional<RoomSettings> settings = catalog.find(key.namespace(), key.room());
    if (settings.isEmpty()) {
      event.refuse(Refusal.ROOM_NOT_SERVED, sink);
      return true;
    }
    Supplier<Room> factory;
    try {
      factory = handlers.apply(settings.get().handler());
    } catch (RoomCodeFailure e) {
      // Logged when the room was loaded; refused at once, as no activation could get further.
      metrics.error("room-code");
      EventAnswers.codeFailed(event, e.refusal(), sink);
      return true;
    } catch (IllegalArgumentException e) {
      log.error("room {} cannot run: {}", key, e.getMessage());
      metrics.error("handler");
      event.refuse(Refusal.UNAVAILABLE, sink);
      return true;
    }
    boolean bounded =
        event instanceof RoomEvent.Incoming
            || event instanceof RoomEvent.Connect
            || event instanceof RoomEvent.Request;
    if (mailboxes.offer(key, settings.get(), factory, event, bounded) == Mailbox.Admission.TAKEN) {
      return true;
    }
    metrics.error("overload");
    if (event instanceof RoomEvent.Connect || event instanceof RoomEvent.Request) {
      event.refuse(Refusal.OVERLOADED, sink);
      return true;
    }
    return false;
  }

  /**
   * An idle instance leaves memory: its state is in Redis, its lease goes back.
   *
   * @param alone whether the sweep evicts because no gateway is linked
   */
  private void evicted(Mailbox mailbox, boolean alone) {
    boolean lost = mailbox.lease.lost();
    if (lost) {
      log.warn("room {}: lease lost to another owner; instance evicted", mailbox.key);
      metrics.error("lease-lost");
    }
    Eviction why =
        lost
            ? Eviction.LEASE_LOST
            : draining
                ? Eviction.SHUTDOWN
                : alone
                    ? Eviction.NO_GATEWAY
                    : mailbox.evictionOrdered ? Eviction.ADMIN : Eviction.IDLE;
    ActiveInstance instance = mailbox.instance;
    hibernated.evicted(mailbox.key, lost || instance == null ? 0 : instance.connectionCount());
    if (mailbox.resetInstance(why)) {
      metrics.evicted();
    }
    alarms.forgetTimer(mailbox.key);
    mailbox.lease.release();
  }

  /**
   * Stops taking rooms: events for instances not in memory go back to their gateways, instances in
   * memory are evicted (their state is in Redis, their leases released) as soon as they are idle.
   */
  public void drain() {
    draining = true;
  }

  /** True once draining and nothing is left in memory. */
  public boolean drained() {
    return draining && mailboxes.isEmpty();
  }

  /**
   * What this owner publishes for the operator: per room, instances in memory and last activity, and
   * for a room whose code failed to load, why.
   */
  public Map<String, ActivityReport> activity(long nowMillis) {
    Map<String, ActivityReport> byRoom = new HashMap<>();
    for (Mailbox mailbox : mailboxes.all()) {
      if (mailbox.instance == null) {
        continue;
      }
      byRoom.merge(
          mailbox.key.roomPath(),
          new ActivityReport(1, mailbox.lastActivityMillis, nowMillis),
          (a, b) ->
              new ActivityReport(
                  a.activeInstances() + b.activeInstances(),
                  Math.max(a.lastActivity(), b.lastActivity()),
                  nowMillis));
    }
    for (RoomSettings room : catalog.all()) {
      codeError(room)
          .ifPresent(error -> byRoom.put(room.path(), new ActivityReport(0, 0, nowMillis, error)));
    }
    return byRoom;
  }

  private Optional<String> codeError(RoomSettings room) {
    try {
      handlers.apply(room.handler());
      return Optional.empty();
    } catch (RoomCodeFailure e) {
      return Optional.of(e.getMessage());
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // a handler class that cannot be used stopped the start already
    }
  }

  /**
   * Waits for queued events to be handled, then stops: the instances left in memory (none after a
   * drain) go, their rooms closed. The wait is on the process's own clock: it is for real threads to
   * finish, whatever the runtime's clock says.
   */
  @Override
  public void close() {
    long started = System.nanoTime();
    try {
      while (System.nanoTime() - started < CLOSE_WAIT_NANOS
          && mailboxes.all().stream().anyMatch(Mailbox::busy)) {
        Thread.sleep(20);
      }
      clock.shutdown();
      mailboxes.all().forEach(mailbox -> mailbox.resetInstance(Eviction.SHUTDOWN));
      threads.shutdown(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
