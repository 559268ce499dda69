package dev.dormouse.runtime;

import dev.dormouse.link.RoomEvent;
import dev.dormouse.room.RoomKey;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * This owner's own timers of its instances' alarms, at most one per instance, for the precision of
 * an alarm whose instance is in memory here. Due, an alarm goes into the instance's mailbox as an
 * event like any other ({@link RoomEvent.Alarm#ownTimer}); it claims the alarm there, as a gateway's
 * watcher does, so only one of them raises it ({@link Alarms}).
 */
final class AlarmTimers {

  private final OwnerClock clock;
  private final Consumer<RoomEvent> raise;
  private final ConcurrentHashMap<RoomKey, Pending> timers = new ConcurrentHashMap<>();

  AlarmTimers(OwnerClock clock, Consumer<RoomEvent> raise) {
    this.clock = clock;
    this.raise = raise;
  }

  /** Sets the instance's timer to {@code at}, replacing any other; cancels it when {@code at} is empty. */
  void schedule(RoomKey key, Optional<Instant> at) {
    schedule(key, at, RoomEvent.Alarm.ownTimer(key));
  }

  /**
   * Sets the instance's timer to raise {@code raised} again at {@code at}: a gateway's raise that came
   * early, whose claim this owner keeps, rings when due without claiming again.
   */
  void scheduleRaise(RoomKey key, Instant at, RoomEvent.Alarm raised) {
    schedule(key, Optional.of(at), raised);
  }

  private void schedule(RoomKey key, Optional<Instant> at, RoomEvent.Alarm event) {
    Pending next = at.map(due -> new Pending(key, event)).orElse(null);
    Pending previous = next == null ? timers.remove(key) : timers.put(key, next);
    if (previous != null) {
      previous.cancel();
    }
    if (next != null) {
      next.start(Math.max(0, at.get().toEpochMilli() - clock.epochMillis()));
    }
  }

  /**
   * One timer. It raises only while it is still its instance's timer: one replaced after it came due
   * but before it ran stays silent, and its successor keeps its place (before, a spent timer's alarm
   * took the successor out of the map, and a deleted alarm rang anyway).
   */
  private final class Pending implements Runnable {
    private final RoomKey key;
    private final RoomEvent.Alarm event;
    private volatile OwnerClock.Timer timer;
    private volatile boolean cancelled;

    Pending(RoomKey key, RoomEvent.Alarm event) {
      this.key = key;
      this.event = event;
    }

    void start(long delayMillis) {
      timer = clock.schedule(delayMillis, this);
      if (cancelled) {
        timer.cancel();
      }
    }

    void cancel() {
      cancelled = true;
      OwnerClock.Timer started = timer;
      if (started != null) {
        started.cancel();
      }
    }

    @Override
    public void run() {
      if (timers.remove(key, this)) {
        raise.accept(event);
      }
    }
  }
}
