package dev.dormouse.runtime;

import dev.dormouse.admin.Metrics;
import dev.dormouse.config.RoomCatalog;
import dev.dormouse.config.RoomSettings;
import dev.dormouse.room.RoomKey;
import dev.dormouse.link.ClientSink;
import dev.dormouse.link.ConnectOutcome;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.link.RoomEventSink;
import dev.dormouse.room.ConnectDecision;
import dev.dormouse.room.Room;
import dev.dormouse.contract.ActivityReport;
import dev.dormouse.store.Lease;
import dev.dormouse.store.LeaseStore;
import dev.dormouse.store.RoomStores;
import dev.dormouse.store.StaleLeaseException;
import java.util.HashMap;
import java.util.Map;
import io.lettuce.core.RedisException;
import java.net.ProtocolException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs room code (the owner role). One mailbox per room key keeps that instance's events in arrival
 * order, one at a time; different instances run concurrently on a shared pool. An instance idle for
 * its room's idleTimeout is evicted — mailbox and all — and re-created from Redis by its next event.
 */
public final class RoomRuntime implements RoomEventSink, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RoomRuntime.class);
  /** Events one drain handles before yielding its thread to other instances. */
  private static final int BATCH = 64;
  private static final long SWEEP_MILLIS = 100;
  private static final int TRY_AGAIN_LATER = 1013;
  static final String UNKNOWN_CONNECTION = "Connection no longer known to its room, connect again";

  private final String ownerId;
  private final RoomCatalog catalog;
  private final HandlerResolver handlers;
  private final RoomStores stores;
  private final ClientSink sink;
  private final Metrics metrics;
  private final Duration wakeTimeout;
  private final HandlerPool pool;
  private final ScheduledExecutorService timers;
  private final ConcurrentHashMap<RoomKey, Mailbox> mailboxes = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<RoomKey, ScheduledFuture<?>> alarms = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Supplier<Room>> factories = new ConcurrentHashMap<>();
  private volatile boolean draining;

  public RoomRuntime(String ownerId, RoomCatalog catalog, HandlerResolver handlers, RoomStores stores,
      ClientSink sink, Metrics metrics, int threads, Duration wakeTimeout) {
    this.ownerId = ownerId;
    this.catalog = catalog;
    this.handlers = handlers;
    this.stores = stores;
    this.sink = sink;
    this.metrics = metrics;
    this.wakeTimeout = wakeTimeout;
    this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "room-timers");
      t.setDaemon(true);
      return t;
    });
    this.pool = new HandlerPool(threads, timers);
    timers.scheduleWithFixedDelay(this::evictIdle, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    long renewEvery = Math.max(50, stores.leases().ttl().toMillis() / 3);
    timers.scheduleWithFixedDelay(this::renewLeases, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
    metrics.gauge("dormouse_instances_active", "Room instances in memory", this::activeInstances);
    metrics.gauge("dormouse_room_threads_waiting_on_redis",
        "Room threads waiting on Redis past the grace, each stood in for by another", pool::waitingReplaced);
  }

  public int activeInstances() {
    return (int) mailboxes.values().stream().filter(m -> m.instance != null).count();
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
      failEvent(event, 404, "No room " + key.room());
      return true;
    }
    boolean bounded = event instanceof RoomEvent.Incoming || event instanceof RoomEvent.Connect;
    if (enqueue(key, settings.get(), event, bounded)) {
      return true;
    }
    if (event instanceof RoomEvent.Connect c) {
      c.outcome().complete(ConnectOutcome.refused(503, "Room " + key + " is overloaded, try again later"));
      return true;
    }
    return false;
  }

  private boolean enqueue(RoomKey key, RoomSettings settings, RoomEvent event, boolean bounded) {
    Supplier<Room> factory;
    try {
      factory = factories.computeIfAbsent(settings.handler(), handlers::resolve);
    } catch (IllegalArgumentException e) {
      log.error("room {} cannot run: {}", key, e.getMessage());
      metrics.error("handler");
      failEvent(event, 503, "room handler unavailable");
      return true;
    }
    while (true) {
      Mailbox mailbox = mailboxes.computeIfAbsent(key, k -> new Mailbox(k, settings, factory));
      synchronized (mailbox) {
        if (mailbox.retired) {
          continue;
        }
        if (bounded && mailbox.queue.size() >= mailbox.capacity()) {
          metrics.error("overload");
          return false;
        }
        mailbox.queue.add(new Mailbox.Queued(event, System.currentTimeMillis()));
        if (!mailbox.scheduled) {
          mailbox.scheduled = true;
          int generation = mailbox.generation;
          pool.execute(() -> drain(mailbox, generation));
        }
        return true;
      }
    }
  }

  private void drain(Mailbox mailbox, int generation) {
    for (int handled = 0; handled < BATCH; handled++) {
      Mailbox.Queued next;
      synchronized (mailbox) {
        if (mailbox.generation != generation) {
          return;
        }
        next = mailbox.queue.peek();
        if (next == null) {
          mailbox.scheduled = false;
          return;
        }
      }
      RoomEvent event = next.event();
      if (mailbox.handingBack.containsKey(event.gatewayId()) && !(event instanceof RoomEvent.Fence)) {
        // This gateway is re-sending the key's events elsewhere, in order: later ones must follow them.
        handBack(mailbox, generation, mailbox.handingBack.get(event.gatewayId()));
        continue;
      }
      if (!(event instanceof RoomEvent.Fence)) {
        Readiness readiness = secureLease(mailbox, generation, next);
        if (readiness == Readiness.WAIT) {
          return;
        }
        if (readiness == Readiness.HANDED_BACK) {
          continue;
        }
        if (event.needsInstance() && mailbox.instance == null && !activate(mailbox, generation, next)) {
          return;
        }
      }
      synchronized (mailbox) {
        if (mailbox.generation != generation) {
          return;
        }
        mailbox.queue.poll();
      }
      if (event instanceof RoomEvent.Fence) {
        mailbox.handingBack.remove(event.gatewayId());
      }
      run(mailbox, generation, event);
      mailbox.lastActivityMillis = System.currentTimeMillis();
    }
    pool.execute(() -> drain(mailbox, generation));
  }

  private enum Readiness { READY, HANDED_BACK, WAIT }

  /**
   * Makes sure this owner holds the instance's lease before the head event is handled. When another
   * owner holds it (or this one is draining) the event goes back to its gateway to be sent there.
   */
  private Readiness secureLease(Mailbox mailbox, int generation, Mailbox.Queued head) {
    if (mailbox.lease != null && mailbox.lease.equals(mailbox.lostLease)) {
      loseLease(mailbox, "lease lost to another owner");
    }
    if (mailbox.lease != null && !leaseMayHaveExpired(mailbox)) {
      return Readiness.READY;
    }
    if (mailbox.lease != null) {
      // Renewal fell behind (a stalled process, say): another owner may already run the key, and a room
      // that only sends would never hit a fenced write to find out. Confirm the lease before going on.
      try {
        if (renew(mailbox, mailbox.lease)) {
          return Readiness.READY;
        }
      } catch (RuntimeException e) {
        return startFailed(mailbox, generation, head, e) ? Readiness.HANDED_BACK : Readiness.WAIT;
      }
      loseLease(mailbox, "lease expired and taken");
    }
    if (draining) {
      handBack(mailbox, generation, Optional.empty());
      return Readiness.HANDED_BACK;
    }
    LeaseStore.Grant grant;
    long started = System.nanoTime();
    try {
      grant = stores.leases().acquire(mailbox.key, ownerId);
    } catch (RuntimeException e) {
      return startFailed(mailbox, generation, head, e) ? Readiness.HANDED_BACK : Readiness.WAIT;
    }
    if (grant.granted()) {
      mailbox.lease = grant.lease();
      mailbox.leaseValidUntilNanos = validUntil(started);
      return Readiness.READY;
    }
    handBack(mailbox, generation, Optional.of(grant.holder()));
    return Readiness.HANDED_BACK;
  }

  /** Another owner has the key now: what this one had of it in memory goes. */
  private void loseLease(Mailbox mailbox, String why) {
    log.warn("room {}: {}; instance reset", mailbox.key, why);
    metrics.error("lease-lost");
    reset(mailbox);
    mailbox.lease = null;
    mailbox.lostLease = null;
  }

  /** The head event is not this owner's to handle: its gateway sends it on. */
  private void handBack(Mailbox mailbox, int generation, Optional<String> holder) {
    RoomEvent event;
    synchronized (mailbox) {
      if (mailbox.generation != generation) {
        return;
      }
      event = mailbox.queue.poll().event();
    }
    if (event instanceof RoomEvent.Alarm) {
      return; // the alarm is the lease holder's to raise
    }
    mailbox.handingBack.put(event.gatewayId(), holder);
    metrics.redirected();
    sink.redirect(event, holder);
  }

  /**
   * Brings the instance into memory. On failure (Redis down, onStart throwing) the events wait and
   * activation is retried with backoff; past the wake timeout they are refused.
   */
  private boolean activate(Mailbox mailbox, int generation, Mailbox.Queued head) {
    long started = System.nanoTime();
    try {
      ActiveInstance instance = new ActiveInstance(mailbox.lease, mailbox.settings, mailbox.factory.get(), stores,
          sink, metrics, this::scheduleAlarm);
      instance.start();
      mailbox.instance = instance;
      mailbox.activationFailures = 0;
      if (instance.connectionCount() > 0) {
        metrics.revived(Duration.ofNanos(System.nanoTime() - started));
      }
      return true;
    } catch (RuntimeException e) {
      startFailed(mailbox, generation, head, e);
      return false;
    }
  }

  /**
   * Taking the lease or starting the instance failed: retry with backoff, or past the wake timeout
   * refuse everything waiting.
   *
   * @return true when the waiting events were refused
   */
  private boolean startFailed(Mailbox mailbox, int generation, Mailbox.Queued head, RuntimeException e) {
    metrics.error("activation");
    int failures = ++mailbox.activationFailures;
    log.warn("room {} could not start (attempt {}): {}", mailbox.key, failures, e.toString());
    if (System.currentTimeMillis() - head.enqueuedAtMillis() > wakeTimeout.toMillis()) {
      refuseWaiting(mailbox, generation);
      return true;
    }
    long backoff = Math.min(2000, 50L << Math.min(failures, 6));
    timers.schedule(() -> pool.execute(() -> drain(mailbox, generation)), backoff, TimeUnit.MILLISECONDS);
    return false;
  }

  /** The instance cannot be started in time: every waiting event gets a clear refusal. */
  private void refuseWaiting(Mailbox mailbox, int generation) {
    synchronized (mailbox) {
      if (mailbox.generation != generation) {
        return;
      }
      Mailbox.Queued queued;
      while ((queued = mailbox.queue.poll()) != null) {
        failEvent(queued.event(), 503, "room could not be started, try again later");
      }
      mailbox.scheduled = false;
    }
  }

  /** The event cannot be handled: every waiting party gets a clear answer. */
  private void failEvent(RoomEvent event, int status, String reason) {
    if (event instanceof RoomEvent.Connect c) {
      c.outcome().complete(ConnectOutcome.refused(status, reason));
    } else if (event instanceof RoomEvent.Incoming m) {
      sink.close(m.gatewayId(), m.connectionId(), TRY_AGAIN_LATER, reason);
      m.handled().complete(null);
    } else {
      settle(event);
    }
  }

  /** Completes what a gateway waits for on an event that needs no answer but "done". */
  private static void settle(RoomEvent event) {
    if (event instanceof RoomEvent.Incoming m) {
      m.handled().complete(null);
    } else if (event instanceof RoomEvent.Close c) {
      c.done().complete(null);
    } else if (event instanceof RoomEvent.Fence f) {
      f.passed().complete(null);
    }
  }

  private void run(Mailbox mailbox, int generation, RoomEvent event) {
    RunState state = new RunState();
    Thread thread = Thread.currentThread();
    ScheduledFuture<?> watchdog = timers.schedule(() -> overran(mailbox, generation, state, thread, event),
        mailbox.settings.eventTimeout().toMillis(), TimeUnit.MILLISECONDS);
    try {
      dispatch(mailbox.instance, mailbox.lease, mailbox.key, event);
    } catch (Throwable t) {
      synchronized (mailbox) {
        if (!state.overran) {
          failed(mailbox, event, t);
        }
      }
    } finally {
      watchdog.cancel(false);
      synchronized (mailbox) {
        state.finished = true;
      }
      if (state.overran) {
        Thread.interrupted();
        pool.stuckReturned();
      }
    }
  }

  private static final class RunState {
    boolean finished;
    boolean overran;
  }

  private void dispatch(ActiveInstance instance, Lease lease, RoomKey key, RoomEvent event) throws Exception {
    if (event instanceof RoomEvent.Connect c) {
      connect(instance, c);
    } else if (event instanceof RoomEvent.Incoming m) {
      metrics.messageIn();
      OwnedSocket socket = instance.socket(m.connectionId());
      try {
        if (socket == null) {
          // The room has no record of this socket (Redis lost it, or the reaper took it for one of a
          // dead gateway's): its messages would vanish and it would hear nothing, so it is told to
          // connect again.
          log.warn("{}: message from connection {} the room does not know; closing it", key, m.connectionId());
          sink.close(m.gatewayId(), m.connectionId(), TRY_AGAIN_LATER, UNKNOWN_CONNECTION);
        } else if (socket.isOpen()) {
          instance.room().onMessage(socket, m.message());
        }
      } finally {
        m.handled().complete(null);
      }
    } else if (event instanceof RoomEvent.Failure f) {
      OwnedSocket socket = instance.socket(f.connectionId());
      if (socket != null) {
        instance.room().onError(socket, new ProtocolException(f.description()));
      }
    } else if (event instanceof RoomEvent.Close c) {
      close(instance, lease, key, c);
    } else if (event instanceof RoomEvent.Fence f) {
      f.passed().complete(null);
    } else if (event instanceof RoomEvent.Alarm) {
      alarms.remove(key);
      stores.alarms().delete(instance.lease());
      instance.room().onAlarm();
    }
  }

  private void connect(ActiveInstance instance, RoomEvent.Connect c) {
    if (instance.connectionCount() >= instance.settings().maxConnections()) {
      c.outcome().complete(ConnectOutcome.refused(503, "Room " + instance.key() + " is full"));
      return;
    }
    OwnedSocket socket = instance.candidate(c.connectionId(), c.gatewayId());
    ConnectDecision decision = instance.room().onConnect(socket, c.request());
    if (!decision.accepted()) {
      c.outcome().complete(ConnectOutcome.refused(decision.status(), decision.body()));
      return;
    }
    try {
      instance.accept(socket, decision.tags());
    } catch (RedisException e) {
      // Not the room's fault: its instance stays, the client may retry.
      metrics.error("storage");
      log.warn("room {} could not register a connection: {}", instance.key(), e.toString());
      c.outcome().complete(ConnectOutcome.refused(503, "Room storage unavailable, try again later"));
      return;
    }
    c.outcome().complete(ConnectOutcome.accepted(instance.getWebSocketAutoResponse()));
  }

  private void close(ActiveInstance instance, Lease lease, RoomKey key, RoomEvent.Close c) {
    try {
      if (instance == null) {
        stores.registry().remove(lease, c.connectionId());
        stores.autoResponseTimes().forget(key, c.connectionId());
        return;
      }
      OwnedSocket socket = instance.socket(c.connectionId());
      try {
        if (socket != null && !c.roomInitiated()) {
          socket.markPeerClosing();
          instance.room().onClose(socket, c.code(), c.reason(), c.wasClean());
        }
      } finally {
        instance.remove(c.connectionId());
      }
    } finally {
      c.done().complete(null);
    }
  }

  /** A handler threw: the instance is reset (its next event starts a fresh one), the owner lives on. */
  private void failed(Mailbox mailbox, RoomEvent event, Throwable error) {
    if (causedBy(error, StaleLeaseException.class)) {
      log.warn("room {}: {}; instance reset", mailbox.key, error.getMessage());
      metrics.error("stale-lease");
      mailbox.lease = null;
    } else {
      log.error("room {} failed handling {}; instance reset", mailbox.key, event.getClass().getSimpleName(), error);
      metrics.error("handler");
    }
    reset(mailbox);
    if (event instanceof RoomEvent.Connect c) {
      c.outcome().complete(ConnectOutcome.refused(500, "Room failed to accept the connection"));
    } else {
      settle(event);
    }
  }

  private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private void overran(Mailbox mailbox, int generation, RunState state, Thread thread, RoomEvent event) {
    synchronized (mailbox) {
      if (state.finished || mailbox.generation != generation) {
        return;
      }
      state.overran = true;
      mailbox.generation++;
      log.error("room {} overran its eventTimeout of {} handling {}; instance reset", mailbox.key,
          mailbox.settings.eventTimeout(), event.getClass().getSimpleName());
      metrics.error("timeout");
      reset(mailbox);
      if (event instanceof RoomEvent.Connect c) {
        c.outcome().complete(ConnectOutcome.refused(500, "Room timed out accepting the connection"));
      } else {
        settle(event);
      }
      pool.compensateStuck();
      thread.interrupt();
      int next = mailbox.generation;
      if (mailbox.queue.isEmpty()) {
        mailbox.scheduled = false;
      } else {
        pool.execute(() -> drain(mailbox, next));
      }
    }
  }

  private void reset(Mailbox mailbox) {
    ActiveInstance instance = mailbox.instance;
    mailbox.instance = null;
    if (instance != null) {
      instance.retire();
    }
  }

  private void evictIdle() {
    long now = System.currentTimeMillis();
    for (Mailbox mailbox : mailboxes.values()) {
      synchronized (mailbox) {
        long idleTimeout = draining ? 0 : mailbox.settings.idleTimeout().toMillis();
        if (mailbox.scheduled || now - mailbox.lastActivityMillis < idleTimeout) {
          continue;
        }
        mailbox.retired = true;
        mailboxes.remove(mailbox.key, mailbox);
        if (mailbox.instance != null) {
          reset(mailbox);
          metrics.evicted();
        }
        Lease lease = mailbox.lease;
        if (lease != null) {
          release(lease);
        }
      }
    }
  }

  /** Without waiting: this runs on the timer thread, which must never wait on Redis. */
  private void release(Lease lease) {
    stores.leases().releaseInBackground(lease).whenComplete((released, error) -> {
      if (error != null) {
        // It expires on its own; another owner just waits a little longer.
        log.warn("could not release lease {} of {}: {}", lease.token(), lease.key(), error.toString());
      }
    });
  }

  /**
   * Keeps the leases of every instance in memory; a lease found taken marks its instance for reset.
   * It waits for no answer, so busy rooms never delay a renewal and a stalled Redis holds no thread;
   * while an answer is late, {@link #secureLease} lets the instance act only until its lease may have
   * expired.
   */
  private void renewLeases() {
    for (Mailbox mailbox : mailboxes.values()) {
      Lease lease = mailbox.lease;
      if (lease == null || lease.equals(mailbox.lostLease) || mailbox.renewing) {
        continue;
      }
      mailbox.renewing = true;
      long started = System.nanoTime();
      stores.leases().renewInBackground(lease).whenComplete((renewed, error) -> {
        mailbox.renewing = false;
        if (error != null) {
          log.warn("could not renew lease of {}: {}", lease.key(), error.toString());
        } else {
          renewed(mailbox, lease, started, renewed);
        }
      });
    }
  }

  private boolean renew(Mailbox mailbox, Lease lease) {
    long started = System.nanoTime();
    boolean renewed = stores.leases().renew(lease);
    renewed(mailbox, lease, started, renewed);
    return renewed;
  }

  /**
   * A renewal of {@code lease} sent at {@code startedNanos} was answered. A yes counts for the lease
   * held now even if it replaced {@code lease} meanwhile: Redis answered before it set the new one, so
   * the new one lives at least as long.
   */
  private void renewed(Mailbox mailbox, Lease lease, long startedNanos, boolean renewed) {
    if (renewed) {
      mailbox.leaseValidUntilNanos = validUntil(startedNanos);
    } else {
      mailbox.lostLease = lease;
    }
  }

  /**
   * Until when this owner may act on a lease granted or renewed at {@code grantedNanos}: its time to
   * live less a margin for clock-rate drift between this process and Redis.
   */
  private long validUntil(long grantedNanos) {
    long ttl = stores.leases().ttl().toNanos();
    return grantedNanos + ttl - ttl / 5;
  }

  private static boolean leaseMayHaveExpired(Mailbox mailbox) {
    return System.nanoTime() - mailbox.leaseValidUntilNanos > 0;
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

  /** What this owner publishes for the operator: per room, instances in memory and last activity. */
  public Map<String, ActivityReport> activity(long nowMillis) {
    Map<String, ActivityReport> byRoom = new HashMap<>();
    for (Mailbox mailbox : mailboxes.values()) {
      if (mailbox.instance == null) {
        continue;
      }
      byRoom.merge(mailbox.key.roomPath(), new ActivityReport(1, mailbox.lastActivityMillis, nowMillis),
          (a, b) -> new ActivityReport(a.activeInstances() + b.activeInstances(),
              Math.max(a.lastActivity(), b.lastActivity()), nowMillis));
    }
    return byRoom;
  }

  private void scheduleAlarm(RoomKey key, Optional<Instant> at) {
    ScheduledFuture<?> previous = at.isPresent()
        ? alarms.put(key, timers.schedule(() -> fireAlarm(key),
            Math.max(0, Duration.between(Instant.now(), at.get()).toMillis()), TimeUnit.MILLISECONDS))
        : alarms.remove(key);
    if (previous != null) {
      previous.cancel(false);
    }
  }

  private void fireAlarm(RoomKey key) {
    offer(new RoomEvent.Alarm(key));
  }

  /** Waits for queued events to be handled, then stops. */
  @Override
  public void close() {
    long deadline = System.currentTimeMillis() + 10_000;
    try {
      while (System.currentTimeMillis() < deadline && mailboxes.values().stream().anyMatch(this::busy)) {
        Thread.sleep(20);
      }
      timers.shutdownNow();
      pool.shutdown(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean busy(Mailbox mailbox) {
    synchronized (mailbox) {
      return mailbox.scheduled;
    }
  }
}
