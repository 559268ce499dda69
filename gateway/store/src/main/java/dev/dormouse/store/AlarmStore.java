package dev.dormouse.store;

import dev.dormouse.room.RoomKey;
import java.time.Instant;
import java.util.Optional;

/**
 * Each instance's alarm, so it outlives the activation that set it, and the namespace's index of due
 * alarms that the gateways watch. The alarm is written under the instance's lease and is the truth;
 * the index lives in another slot, so it is written after it, fenced by the lease's epoch, and may lag
 * or lead: whoever raises an alarm checks it against the instance's alarm under the lease.
 */
public interface AlarmStore {

  /** The instance's alarm: what {@code RoomContext.getAlarm} reads and what a raise is checked against. */
  Optional<AlarmRecord> get(RoomKey key);

  /** Sets the instance's alarm (not yet indexed: {@link #index} follows), replacing any other. */
  AlarmRecord set(Lease lease, Instant at);

  /** Deletes the instance's alarm, then its index entry. */
  void delete(Lease lease);

  /**
   * Replaces the alarm an attempt was made at with {@code next} (a retry), or deletes it when empty,
   * unless it changed meanwhile (the room set a new one); then the index follows.
   *
   * @return whether {@code fired} was still the instance's alarm
   */
  boolean replace(Lease lease, AlarmRecord fired, Optional<AlarmRecord> next);

  /** Makes the index say what the instance's alarm, read or written under the lease, is. */
  void index(Lease lease, Optional<AlarmRecord> alarm);

  /**
   * Holds the instance's index entry until {@code untilMillis}: the claim of an alarm whose {@code
   * onAlarm} starts, so that no raiser takes it again while the room's eventTimeout can still let it
   * run.
   */
  void hold(Lease lease, long untilMillis);

  /** Adds the alarm to the index if the index has no entry for the instance (a repair at activation). */
  void indexIfMissing(Lease lease, AlarmRecord alarm);

  /**
   * Claims the instance's due alarm for raising by this owner's own timer, as a gateway's watcher
   * claims it ({@link AlarmIndex}), so that only one of them raises it; an instance missing from the
   * index is claimed too (its index write may have failed).
   *
   * @return false when another raiser holds the claim, or the index has it due later
   */
  boolean claim(RoomKey key, long nowMillis);
}
