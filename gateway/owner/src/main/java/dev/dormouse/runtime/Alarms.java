package dev.dormouse.runtime;

import dev.dormouse.admin.Metrics;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.room.AlarmInfo;
import dev.dormouse.room.RoomKey;
import dev.dormouse.store.AlarmRecord;
import dev.dormouse.store.AlarmStore;
import dev.dormouse.store.Lease;
import dev.dormouse.store.StoreException;
import dev.dormouse.store.StoreUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alarms of the instances on this owner: set and deleted under the instance's lease (the
 * instance's alarm key first, then the namespace's index the gateways watch), raised by this owner's
 * timer or by a gateway, checked against the instance's alarm before the room sees them, and retried
 * with backoff when {@code onAlarm} fails. Every call but {@link #retrySoon} runs on the instance's
 * drain.
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
    AlarmRecord due;
    try {
      if (alarm.fromOwnTimer() && !store.claim(key, now)) {
        return; // a gateway claimed it: its raise is on the way
      }
      Optional<AlarmRecord> current = store.get(key);
      if (current.isEmpty() || current.get().dueMillis() > now) {
        store.index(lease, current);
        current.ifPresent(later -> timers.schedule(key, Optional.of(later.due())));
        return;
      }
      due = current.get();
    } catch (StoreUnavailableException e) {
      log.warn("room {}: alarm not raised, the store does not answer: {}", key, e.toString());
      retrySoon(key);
      return;
    }
    metrics.alarmRaised(Duration.ofMillis(now - due.dueMillis()));
    boolean succeeded = false;
    try {
      instance.room().onAlarm(new AlarmInfo(due.retries()));
      // One that overran its eventTimeout returns to a retired instance: it counts as failed.
      succeeded = !instance.retired();
    } finally {
      settle(lease, due, succeeded);
    }
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
