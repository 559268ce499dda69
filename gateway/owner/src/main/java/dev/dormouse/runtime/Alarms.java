package dev.dormouse.runtime;

import dev.dormouse.admin.Metrics;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.room.AlarmInfo;
import dev.dormouse.room.RoomKey;
import dev.dormouse.store.AlarmIndex;
import dev.dormouse.store.AlarmRecord;
import dev.dormouse.store.AlarmStore;
import dev.dormouse.store.Lease;
import dev.dormouse.store.StoreException;
import dev.dormouse.store.StoreUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alarms of the instances on this owner: set and deleted under the instance's lease (the
 * instance's alarm key first, then the namespace's index the gateways watch), raised by this owner's
 * timer or by a gateway, checked against the instance's alarm before the room sees them, and retried
 * with backoff when {@code onAlarm} fails. Every call but {@link #retrySoon}, {@link #abandon},
 * {@link #recordAbandoned} and {@link #forgetTimer} runs on the instance's drain.
 */
final class Alarms {

  private static final Logger log = LoggerFactory.getLogger(Alarms.class);

  /** The first retry of a failed alarm waits this long; each next one twice as long. */
  static final long FIRST_RETRY_MILLIS = 2_000;

  /** How soon an alarm that met an unanswering store rings again here. */
  static final long STORE_RETRY_MILLIS = 1_000;

  private final AlarmStore store;
  private final AlarmTimers timers;
  private final OwnerClock clock;
  private final Metrics metrics;

  /** The {@code onAlarm} calls running, by instance. */
  private final ConcurrentHashMap<RoomKey, Attempt> attempts = new ConcurrentHashMap<>();

  Alarms(AlarmStore store, OwnerClock clock, Metrics metrics, Consumer<RoomEvent> raise) {
    this.store = store;
    this.timers = new AlarmTimers(clock, raise);
    this.clock = clock;
    this.metrics = metrics;
  }

  void set(Lease lease, Instant at) {
    AlarmRecord alarm = store.set(lease, at);
    timers.schedule(lease.key(), Optional.of(at));
    indexLeniently(lease, () -> store.index(lease, Optional.of(alarm)));
  }

  Optional<Instant> get(RoomKey key) {
    return store.get(key).map(AlarmRecord::due);
  }

  void delete(Lease lease) {
    timers.schedule(lease.key(), Optional.empty());
    store.delete(lease);
  }

  /**
   * At activation: the alarm keeps this owner's timer while it is in memory here, and an alarm whose
   * index write was lost (the index's node down when it was set) is indexed again.
   */
  void restore(Lease lease) {
    Optional<AlarmRecord> alarm = store.get(lease.key());
    if (alarm.isEmpty()) {
      return;
    }
    if (alarm.get().dueMillis() > clock.epochMillis()) {
      timers.schedule(lease.key(), Optional.of(alarm.get().due()));
    }
    indexLeniently(lease, () -> store.indexIfMissing(lease, alarm.get()));
  }

  /**
   * The instance's alarm is set, but the index may not say so: until it does, this owner's timer and
   * the next activation's {@link #restore} raise it.
   */
  private void indexLeniently(Lease lease, Runnable write) {
    try {
      write.run();
    } catch (StoreUnavailableException e) {
      metrics.error("alarm-index");
      log.warn("room {}: alarm set but not indexed: {}", lease.key(), e.toString());
    }
  }

  /**
   * The instance left this owner's memory (evicted, or its lease lost): its timer goes with it, so
   * this owner does not take the lease back when it rings, racing the ring's pick; the gateways'
   * watchers raise the alarm to whichever owner that is.
   */
  void forgetTimer(RoomKey key) {
    timers.schedule(key, Optional.empty());
  }

  /** The alarm met a store that does not answer: it rings here again a little later. */
  void retrySoon(RoomKey key) {
    timers.schedule(
        key, Optional.of(Instant.ofEpochMilli(clock.epochMillis() + STORE_RETRY_MILLIS)));
  }

  /**
   * Runs the room's {@code onAlarm} if the raise is the one to: an own timer's raise only if it wins
   * the claim, either kind only if the instance's alarm, read under the lease, is due. A raise found
   * stale (deleted, replaced by a later alarm, or settled by an earlier raise) sets the index right.
   */
  void ring(ActiveInstance instance, RoomEvent.Alarm alarm) throws Exception {
    Lease lease = instance.lease();
    RoomKey key = lease.key();
    long now = clock.epochMillis();
    recordAbandoned(key); // if its recording has not run yet: before the alarm is read
    AlarmRecord due;
    try {
      if (alarm.fromOwnTimer() && !store.claim(key, now)) {
        return; // a gateway claimed it: its raise is on the way
      }
      Optional<AlarmRecord> current = store.get(key);
      if (current.isPresent() && raisedEarly(alarm, current.get(), now)) {
        // The raiser's clock runs ahead. Releasing its claim (the index set to the due time) would
        // let it claim and wake the instance again each poll until the due time: the claim is kept
        // (it outlasts the due time), and the alarm rings here then, without claiming again.
        timers.scheduleRaise(key, current.get().due(), alarm);
        return;
      }
      if (current.isEmpty() || current.get().dueMillis() > now) {
        store.index(lease, current);
        current.ifPresent(later -> timers.schedule(key, Optional.of(later.due())));
        return;
      }
      due = current.get();
      holdClaim(instance, now);
      if (instance.retired()) {
        return; // the watchdog abandoned this call while it waited on the store
      }
    } catch (StoreUnavailableException e) {
      log.warn("room {}: alarm not raised, the store does not answer: {}", key, e.toString());
      retrySoon(key);
      return;
    }
    metrics.alarmRaised(Duration.ofMillis(now - due.dueMillis()));
    Attempt attempt = new Attempt(lease, due);
    attempts.put(key, attempt);
    boolean succeeded = false;
    try {
      instance.room().onAlarm(new AlarmInfo(due.retries()));
      succeeded = !instance.retired();
    } finally {
      // An abandoned attempt is recorded failed by whoever takes it first (abandon's recording, or
      // the next ring of the key), never by its late thread.
      if (!attempt.abandoned && attempts.remove(key, attempt)) {
        settle(lease, due, succeeded);
      }
    }
  }

  /**
   * The watchdog abandons the instance's {@code onAlarm}, overrunning its eventTimeout (on its timer
   * thread, under the mailbox's monitor: no store call here): the attempt's late thread, if it ever
   * returns, settles nothing, and the failure is to be recorded at once by {@link #recordAbandoned}
   * on a room thread.
   *
   * @return whether an {@code onAlarm} of the instance was running
   */
  boolean abandon(RoomKey key) {
    Attempt attempt = attempts.get(key);
    if (attempt == null) {
      return false;
    }
    attempt.abandoned = true;
    return true;
  }

  /**
   * Records an abandoned attempt of the instance failed: a retry with backoff (count + 1), or dropped
   * after the last. The next ring of the key does it first if it comes before.
   */
  void recordAbandoned(RoomKey key) {
    Attempt attempt = attempts.get(key);
    if (attempt != null && attempt.abandoned && attempts.remove(key, attempt)) {
      settle(attempt.lease, attempt.fired, false);
    }
  }

  /**
   * Keeps whoever claimed the alarm (a gateway for the claim timeout from its poll, or this owner's
   * timer) from raising it again while its {@code onAlarm} may still run: the watchdog records an
   * overrun as failed within the eventTimeout, so the claim lasts that plus the claim timeout.
   */
  private void holdClaim(ActiveInstance instance, long now) {
    long eventTimeout = instance.settings().eventTimeout().toMillis();
    store.hold(instance.lease(), now + eventTimeout + AlarmIndex.CLAIM_TIMEOUT.toMillis());
  }

  /** An {@code onAlarm} running: its lease and the alarm it is for. Compared by identity. */
  private static final class Attempt {
    final Lease lease;
    final AlarmRecord fired;
    volatile boolean abandoned;

    Attempt(Lease lease, AlarmRecord fired) {
      this.lease = lease;
      this.fired = fired;
    }
  }

  /**
   * A gateway's raise of an alarm not yet due here, but due before the gateway's claim times out:
   * the gateway claimed it by its clock, so its claim lasts at least the claim timeout from here.
   */
  private static boolean raisedEarly(RoomEvent.Alarm alarm, AlarmRecord current, long now) {
    long early = current.dueMillis() - now;
    return !alarm.fromOwnTimer() && early > 0 && early < AlarmIndex.CLAIM_TIMEOUT.toMillis();
  }

  /**
   * After an attempt: a success deletes the alarm, a failure schedules its retry or, past the last,
   * drops it — unless the room set a new alarm meanwhile, which then stands. If the store fails here
   * the alarm stays as it was and is raised again once its claim times out: at least once.
   */
  private void settle(Lease lease, AlarmRecord fired, boolean succeeded) {
    RoomKey key = lease.key();
    try {
      if (succeeded || fired.retries() >= AlarmInfo.MAX_RETRIES) {
        if (store.replace(lease, fired, Optional.empty())) {
          timers.schedule(key, Optional.empty());
          if (!succeeded) {
            metrics.alarmDropped();
            log.error(
                "room {}: onAlarm failed on its last retry ({}); alarm dropped",
                key,
                fired.retries());
          }
        }
        return;
      }
      AlarmRecord next =
          fired.retryAt(clock.epochMillis() + (FIRST_RETRY_MILLIS << fired.retries()));
      if (store.replace(lease, fired, Optional.of(next))) {
        timers.schedule(key, Optional.of(next.due()));
        metrics.alarmRetried();
        log.warn("room {}: onAlarm failed; retry {} at {}", key, next.retries(), next.due());
      }
    } catch (StoreException e) {
      log.warn("room {}: the alarm's outcome was not recorded: {}", key, e.toString());
    }
  }
}
