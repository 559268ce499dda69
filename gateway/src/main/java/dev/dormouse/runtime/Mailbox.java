package dev.dormouse.runtime;

import dev.dormouse.config.RoomSettings;
import dev.dormouse.contract.RoomKey;
import dev.dormouse.link.RoomEvent;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;
import dev.dormouse.room.Room;

/**
 * The queue of one room instance and the instance itself while it is in memory. Its monitor guards
 * the queue and the scheduling flags; the instance is touched only by the one thread draining it.
 */
final class Mailbox {

  record Queued(RoomEvent event, long enqueuedAtMillis) {
  }

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
  volatile long lastActivityMillis = System.currentTimeMillis();

  Mailbox(RoomKey key, RoomSettings settings, Supplier<Room> factory) {
    this.key = key;
    this.settings = settings;
    this.factory = factory;
  }

  /** Room events past this many wait for the instance are refused; at least one always fits. */
  int capacity() {
    return Math.max(1, settings.wakeBufferMessages());
  }
}
