package dev.dormouse.runtime;

import dev.dormouse.link.RoomEvent;
import dev.dormouse.room.RoomKey;
import dev.dormouse.store.InstanceHistory;
import dev.dormouse.store.InstanceTransition;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Tells the store's {@link InstanceHistory} of each instance coming into memory and leaving it, on
 * the owner's clock. The history writes in the background: neither call waits for the store.
 */
final class Transitions {

  private final InstanceHistory history;
  private final String ownerId;
  private final OwnerClock clock;

  Transitions(InstanceHistory history, String ownerId, OwnerClock clock) {
    this.history = history;
    this.ownerId = ownerId;
    this.clock = clock;
  }

  /** The instance is in memory, {@code took} after its activation began, for {@code cause}. */
  void woke(RoomKey key, RoomEvent cause, Duration took) {
    history.append(key, InstanceTransition.woke(now(), ownerId, wokenBy(cause), took));
  }

  void hibernated(RoomKey key, Eviction why) {
    history.append(key, InstanceTransition.hibernated(now(), ownerId, why.reason()));
  }

  /** The event kind as people call it: a client's message, a connect, an alarm, a request, ... */
  static String wokenBy(RoomEvent cause) {
    if (cause instanceof RoomEvent.Incoming) {
      return "message";
    }
    if (cause instanceof RoomEvent.Failure) {
      return "error";
    }
    if (cause instanceof RoomEvent.Command) {
      return "admin";
    }
    return cause.getClass().getSimpleName().toLowerCase(Locale.ROOT);
  }

  private Instant now() {
    return Instant.ofEpochMilli(clock.epochMillis());
  }
}
