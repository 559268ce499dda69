package dev.dormouse.runtime;

import dev.dormouse.admin.Metrics;
import dev.dormouse.link.ClientSink;
import dev.dormouse.link.Refusal;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.room.Room;
import dev.dormouse.store.LeaseStore;
import dev.dormouse.store.RoomStores;
import dev.dormouse.store.StaleLeaseException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes each mailbox's head event through what it needs before room code sees it: the lease (or a
 * hand-back to its gateway when another owner holds it, this one drains, or it is cut off from the
 * store and cannot trust or take the lease), the instance in memory
 * (activated with backoff, refused past the wake timeout), then the handler call under the watchdog.
 */
final class EventRunner implements Mailbox.Turn {

  private static final Logger log = LoggerFactory.getLogger(EventRunner.class);

  private final RoomStores stores;
  private final ClientSink sink;
  private final Metrics metrics;
  private final OwnerClock clock;
  private final Duration wakeTimeout;
  private final BooleanSupplier draining;

  /** The store has not answered for a while ({@link StoreWatch}). */
  private final BooleanSupplier cutOff;

  private final Alarms alarms;
  private final RoomCalls calls;
  private final Dispatcher dispatcher;
  private final EventWatchdog watchdog;
  private final RoomCloser closer;

  EventRunner(
      RoomStores stores,
      ClientSink sink,
      Metrics metrics,
      OwnerClock clock,
      RoomThreads threads,
      Duration wakeTimeout,
      BooleanSupplier draining,
      BooleanSupplier cutOff,
      Alarms alarms,
      RoomCalls calls,
      RoomCloser closer) {
    this.stores = stores;
    this.sink = sink;
    this.metrics = metrics;
    this.clock = clock;
    this.wakeTimeout = wakeTimeout;
    this.draining = draining;
    this.cutOff = cutOff;
    this.alarms = alarms;
    this.calls = calls;
    this.closer = closer;
    this.dispatcher = new Dispatcher(stores, sink, metrics, alarms, clock);
    this.watchdog = new EventWatchdog(clock, threads, metrics, alarms);
  }

  @Override
  public boolean handle(Mailbox mailbox, int generation, Mailbox.Queued head) {
    RoomEvent event = head.event();
    boolean fence = event instanceof RoomEvent.Fence;
    if (!fence && mailbox.handingBack.containsKey(event.gatewayId())) {
      // This gateway is re-sending the key's events elsewhere, in order: later ones must follow
      // them.
      handBack(mailbox, generation, mailbox.handingBack.get(event.gatewayId()));
      return true;
    }
    if (!fence) {
      Readiness readiness = secureLease(mailbox, generation, head);
      if (readiness != Readiness.READY) {
        return readiness == Readiness.HANDED_BACK;
      }
      if (event.needsInstance() && mailbox.instance == null) {
        if (cutOff.getAsBoolean()) {
          // Activation reads the store, which does not answer: the event goes elsewhere.
          handBack(mailbox, generation, Optional.empty());
          return true;
        }
        if (!activate(mailbox, generation, head)) {
          return false;
        }
      }
    }
    if (mailbox.take(generation) == null) {
      return false;
    }
    if (fence) {
      mailbox.handingBack.remove(event.gatewayId());
    }
    if (event instanceof RoomEvent.Command command) {
      obey(mailbox, command);
      return true;
    }
    run(mailbox, generation, event);
    mailbox.lastActivityMillis = clock.epochMillis();
    return true;
  }

  /**
   * An operator's order, with the lease held: a hibernation leaves the instance to the sweep, which
   * evicts it as an idle one (its last activity left as it was); a wake has activated it by now.
   */
  private void obey(Mailbox mailbox, RoomEvent.Command command) {
    if (command.action() == RoomEvent.Command.Action.HIBERNATE) {
      mailbox.evictionOrdered = true;
    } else {
      mailbox.evictionOrdered = false;
      mailbox.lastActivityMillis = clock.epochMillis();
    }
    command.done().complete(Optional.empty());
  }

  private enum Readiness {
    READY,
    HANDED_BACK,
    /**
     * This drain ends: a retry drains again later, or everything waiting was refused and the next
     * event starts a new drain (one that went on here would run beside it).
     */
    WAIT
  }

  /**
   * Makes sure this owner holds the instance's lease before the head event is handled. When another
   * owner holds it (or this one is draining) the event goes back to its gateway to be sent there.
   */
  private Readiness secureLease(Mailbox mailbox, int generation, Mailbox.Queued head) {
    LeaseKeeper lease = mailbox.lease;
    if (lease.lost()) {
      loseLease(mailbox, "lease lost to another owner");
    }
    if (lease.held() && !lease.mayHaveExpired()) {
      return Readiness.READY;
    }
    if (cutOff.getAsBoolean()) {
      // The store has not answered for a while: waiting on it would hold the key's events here
      // until the wake timeout, while the gateways, told so, route the key elsewhere once this
      // hand-back and their fence pass. An instance whose lease may have expired runs no room
      // code meanwhile.
      handBack(mailbox, generation, Optional.empty());
      return Readiness.HANDED_BACK;
    }
    if (lease.held()) {
      // Renewal fell behind (a stalled process, say): another owner may already run the key, and a
      // room that only sends would never hit a fenced write to find out. Confirm the lease before
      // going on.
      try {
        if (lease.confirm()) {
          return Readiness.READY;
        }
      } catch (RuntimeException e) {
        startFailed(mailbox, generation, head, e);
        return Readiness.WAIT;
      }
      loseLease(mailbox, "lease expired and taken");
    }
    if (draining.getAsBoolean()) {
      handBack(mailbox, generation, Optional.empty());
      return Readiness.HANDED_BACK;
    }
    LeaseStore.Grant grant;
    try {
      grant = lease.acquire();
    } catch (RuntimeException e) {
      startFailed(mailbox, generation, head, e);
      return Readiness.WAIT;
    }
    if (grant.granted()) {
      return Readiness.READY;
    }
    handBack(mailbox, generation, Optional.of(grant.holder()));
    return Readiness.HANDED_BACK;
  }

  /** Another owner has the key now: what this one had of it in memory goes. */
  private void loseLease(Mailbox mailbox, String why) {
    log.warn("room {}: {}; instance reset", mailbox.key, why);
    metrics.error("lease-lost");
    mailbox.resetInstance(Eviction.LEASE_LOST);
    alarms.forgetTimer(mailbox.key);
    mailbox.lease.forget();
  }

  /** The head event is not this owner's to handle: its gateway sends it on. */
  private void handBack(Mailbox mailbox, int generation, Optional<String> holder) {
    RoomEvent event = mailbox.take(generation);
    if (event == null) {
      return; // abandoned meanwhile
    }
    if (event instanceof RoomEvent.Continuation) {
      // The instance that made the call is gone (this owner lost the key, or drains), and with it
      // the code that waited for the answer.
      return;
    }
    if (event instanceof RoomEvent.Alarm alarm && alarm.fromOwnTimer()) {
      // No gateway can send this one on: the lease holder's timer or a gateway's watcher raises it.
      // Cut off from the store, this owner may still be that holder: it rings again here a little
      // later, so it waits for the store rather than for the claim to time out.
      if (cutOff.getAsBoolean()) {
        alarms.retrySoon(mailbox.key);
      }
      return;
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
    long started = clock.nanoTime();
    ActiveInstance instance = null;
    try {
      instance =
          new ActiveInstance(
              mailbox.lease.lease(),
              mailbox.settings,
              mailbox.factory.get(),
              stores,
              sink,
              metrics,
              clock,
              alarms,
              calls,
              closer);
      instance.start();
      mailbox.instance = instance;
      mailbox.activationFailures = 0;
      Duration took = Duration.ofNanos(clock.nanoTime() - started);
      if (instance.connectionCount() > 0) {
        metrics.revived(took);
      }
      mailbox.transitions.woke(mailbox.key, head.event(), took);
      return true;
    } catch (RuntimeException e) {
      if (instance != null) {
        instance.retire(); // its room object is dropped, and closed as any other
      }
      startFailed(mailbox, generation, head, e);
      return false;
    }
  }

  /**
   * Taking the lease or starting the instance failed: retry with backoff, or past the wake timeout
   * refuse everything waiting. Either way the calling drain must end.
   */
  private void startFailed(
      Mailbox mailbox, int generation, Mailbox.Queued head, RuntimeException e) {
    metrics.error("activation");
    int failures = ++mailbox.activationFailures;
    log.warn("room {} could not start (attempt {}): {}", mailbox.key, failures, e.toString());
    if (clock.epochMillis() - head.enqueuedAtMillis() > wakeTimeout.toMillis()) {
      for (RoomEvent waiting : mailbox.takeAll(generation)) {
        waiting.refuse(Refusal.WAKE_TIMED_OUT, sink);
      }
      return;
    }
    // Cut off from the store, the retry hands the events back at once instead.
    long backoff = cutOff.getAsBoolean() ? 0 : Math.min(2000, 50L << Math.min(failures, 6));
    mailbox.drainLater(generation, clock, backoff);
  }

  private void run(Mailbox mailbox, int generation, RoomEvent event) {
    EventWatchdog.Watch watch = watchdog.watch(mailbox, generation, event);
    ActiveInstance instance = mailbox.instance;
    // Without an instance no room code runs: Dormouse's loader, as on any of its threads.
    Class<?> room = instance == null ? Room.class : instance.room().getClass();
    try {
      RoomContextLoader.run(
          room,
          () ->
              MailboxThread.runAs(
                  instance,
                  () -> {
                    dispatcher.dispatch(instance, mailbox.lease.lease(), mailbox.key, event);
                    return null;
                  }));
    } catch (Throwable t) {
      watch.unlessOverran(() -> failed(mailbox, event, t));
    } finally {
      watch.finish();
    }
  }

  /** A handler threw: the instance is reset (its next event starts a fresh one), the owner lives on. */
  private void failed(Mailbox mailbox, RoomEvent event, Throwable error) {
    boolean stale = causedBy(error, StaleLeaseException.class);
    if (stale) {
      log.warn("room {}: {}; instance reset", mailbox.key, error.getMessage());
      metrics.error("stale-lease");
      mailbox.lease.forget();
    } else {
      log.error(
          "room {} failed handling {}; instance reset",
          mailbox.key,
          event.getClass().getSimpleName(),
          error);
      metrics.error("handler");
    }
    mailbox.resetInstance(stale ? Eviction.LEASE_LOST : Eviction.RESET);
    EventAnswers.failed(event, EventAnswers.Failure.THREW);
  }

  private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
