package dev.dormouse.runtime;

import dev.dormouse.config.RoomSettings;
import dev.dormouse.room.RoomKey;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.store.Lease;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import dev.dormouse.room.Room;

/**
 * The queue of one room instance and the instance itself while it is in memory. Its monitor guards
 * the queue and the scheduling flags; the instance is touched only by the one thread draining it.
 */
final class Mailbox {

  record Queued(RoomEvent event, long enqueuedAtMillis) {
  }

  static final int ACTIVE_QUEUE_LIMIT = 16_384;

  final RoomKey key;
  final RoomSettings settings;
  final Supplier<Room> factory;
  final Deque<Queued> queue = new ArrayDeque<>();
  /** A drain task is queued or running (or waiting to retry an activation). */
  boolean scheduled;
  /** Evicted: removed from the runtime, takes no more events. */
  boolean retired;
  /** Bumped when an overrunning handler is abandoned, so its thread stops draining. */
  int generation;
  int activationFailures;
  volatile ActiveInstance instance;
  /** This owner's lease on the instance, taken before its first event is handled. */
  volatile Lease lease;
  /**
   * Gateways this instance handed an event back to, with the holder it named: their later events are
   * handed back too until their fence arrives, or a later event could overtake the returned one.
   */
  final Map<String, Optional<String>> handingBack = new HashMap<>();
  /** Past this (System.nanoTime) the lease may have expired: it is confirmed before the next event. */
  volatile long leaseValidUntilNanos;
  /**
   * A lease renewal found taken by another owner: reset before the next event if it is still the
   * lease. Which lease, because a late answer must not condemn the one taken since.
   */
  volatile Lease lostLease;
  /** A background renewal awaits its answer: a stalled Redis gets no second one piled on. */
  volatile boolean renewing;
  volatile long lastActivityMillis = System.currentTimeMillis();

  Mailbox(RoomKey key, RoomSettings settings, Supplier<Room> factory) {
    this.key = key;
    this.settings = settings;
    this.factory = factory;
  }

  /**
   * Events that may wait: while the instance wakes, the room's wake buffer (at least one); once it
   * runs, a bound that only a flood reaches, so a burst on a busy room is not refused.
   */
  int capacity() {
    return instance == null ? Math.max(1, settings.wakeBufferMessages()) : ACTIVE_QUEUE_LIMIT;
  }
}
