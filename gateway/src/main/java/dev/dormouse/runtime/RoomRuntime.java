package dev.dormouse.runtime;

import dev.dormouse.admin.Metrics;
import dev.dormouse.config.RoomCatalog;
import dev.dormouse.config.RoomSettings;
import dev.dormouse.contract.RoomKey;
import dev.dormouse.link.ClientSink;
import dev.dormouse.link.ConnectOutcome;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.link.RoomEventSink;
import dev.dormouse.room.ConnectDecision;
import dev.dormouse.room.Room;
import dev.dormouse.store.RoomStores;
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

  public RoomRuntime(RoomCatalog catalog, HandlerResolver handlers, RoomStores stores, ClientSink sink,
      Metrics metrics, int threads, Duration wakeTimeout) {
    this.catalog = catalog;
    this.handlers = handlers;
    this.stores = stores;
    this.sink = sink;
    this.metrics = metrics;
    this.wakeTimeout = wakeTimeout;
    this.pool = new HandlerPool(threads);
    this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "room-timers");
      t.setDaemon(true);
      return t;
    });
    timers.scheduleWithFixedDelay(this::evictIdle, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    metrics.gauge("dormouse_instances_active", "Room instances in memory", this::activeInstances);
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
      if (next.event().needsInstance() && mailbox.instance == null && !activate(mailbox, generation, next)) {
        return;
      }
      synchronized (mailbox) {
        if (mailbox.generation != generation) {
          return;
        }
        mailbox.queue.poll();
      }
      run(mailbox, generation, next.event());
      mailbox.lastActivityMillis = System.currentTimeMillis();
    }
    pool.execute(() -> drain(mailbox, generation));
  }

  /**
   * Brings the instance into memory. On failure (Redis down, onStart throwing) the events wait and
   * activation is retried with backoff; past the wake timeout they are refused.
   */
  private boolean activate(Mailbox mailbox, int generation, Mailbox.Queued head) {
    long started = System.nanoTime();
    try {
      ActiveInstance instance = new ActiveInstance(mailbox.key, mailbox.settings, mailbox.factory.get(), stores, sink,
          metrics, this::scheduleAlarm);
      instance.start();
      mailbox.instance = instance;
      mailbox.activationFailures = 0;
      if (instance.connectionCount() > 0) {
        metrics.revived(Duration.ofNanos(System.nanoTime() - started));
      }
      return true;
    } catch (RuntimeException e) {
      metrics.error("activation");
      int failures = ++mailbox.activationFailures;
      log.warn("room {} could not start (attempt {}): {}", mailbox.key, failures, e.toString());
      if (System.currentTimeMillis() - head.enqueuedAtMillis() > wakeTimeout.toMillis()) {
        refuseWaiting(mailbox, generation);
      } else {
        long backoff = Math.min(2000, 50L << Math.min(failures, 6));
        timers.schedule(() -> pool.execute(() -> drain(mailbox, generation)), backoff, TimeUnit.MILLISECONDS);
      }
      return false;
    }
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
      dispatch(mailbox.instance, mailbox.key, event);
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

  private void dispatch(ActiveInstance instance, RoomKey key, RoomEvent event) throws Exception {
    if (event instanceof RoomEvent.Connect c) {
      connect(instance, c);
    } else if (event instanceof RoomEvent.Incoming m) {
      metrics.messageIn();
      OwnedSocket socket = instance.socket(m.connectionId());
      try {
        if (socket != null && socket.isOpen()) {
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
      close(instance, key, c);
    } else if (event instanceof RoomEvent.Fence f) {
      f.passed().complete(null);
    } else if (event instanceof RoomEvent.Alarm) {
      alarms.remove(key);
      stores.alarms().delete(key);
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

  private void close(ActiveInstance instance, RoomKey key, RoomEvent.Close c) {
    try {
      if (instance == null) {
        stores.registry().remove(key, c.connectionId());
        stores.autoResponses().forget(key, c.connectionId());
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
    log.error("room {} failed handling {}; instance reset", mailbox.key, event.getClass().getSimpleName(), error);
    metrics.error("handler");
    reset(mailbox);
    if (event instanceof RoomEvent.Connect c) {
      c.outcome().complete(ConnectOutcome.refused(500, "Room failed to accept the connection"));
    } else {
      settle(event);
    }
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
        if (mailbox.scheduled || now - mailbox.lastActivityMillis < mailbox.settings.idleTimeout().toMillis()) {
          continue;
        }
        mailbox.retired = true;
        mailboxes.remove(mailbox.key, mailbox);
        if (mailbox.instance != null) {
          reset(mailbox);
          metrics.evicted();
        }
      }
    }
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
