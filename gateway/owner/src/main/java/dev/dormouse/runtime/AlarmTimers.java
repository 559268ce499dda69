package dev.dormouse.runtime;

import dev.dormouse.link.RoomEvent;
import dev.dormouse.room.RoomKey;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The timers of the alarms rooms set on this owner, at most one per instance. Due, an alarm goes into
 * the instance's mailbox as an event like any other, so it wakes an evicted instance and is handled in
 * turn; the alarm time itself is in Redis ({@link dev.dormouse.store.AlarmStore}).
 */
final class AlarmTimers {

  private final OwnerClock clock;
  private final Consumer<RoomEvent> raise;
  private final ConcurrentHashMap<RoomKey, OwnerClock.Timer> timers = new ConcurrentHashMap<>();

  AlarmTimers(OwnerClock clock, Consumer<RoomEvent> raise) {
    this.clock = clock;
    this.raise = raise;
  }

  /** Sets the instance's alarm to {@code at}, replacing any other; cancels it when {@code at} is empty. */
  void schedule(RoomKey key, Optional<Instant> at) {
    OwnerClock.Timer previous =
        at.isPresent()
            ? timers.put(
                key,
                clock.schedule(
                    Math.max(0, at.get().toEpochMilli() - clock.epochMillis()),
                    () -> raise.accept(new RoomEvent.Alarm(key))))
            : timers.remove(key);
    if (previous != null) {
      previous.cancel();
    }
  }

  /** The instance's alarm is being handled: its timer is spent. */
  void fired(RoomKey key) {
    timers.remove(key);
  }
}
