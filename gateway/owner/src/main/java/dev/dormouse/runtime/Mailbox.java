package dev.dormouse.runtime;

import dev.dormouse.config.RoomSettings;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.room.Room;
import dev.dormouse.room.RoomKey;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The queue of one room instance, and the instance itself while it is in memory. It keeps the events
 * in arrival order and has them handled one at a time: at most one drain of the queue runs on the
 * room threads. A drain belongs to a generation; when a handler overruns, its generation is abandoned
 * and a new drain takes over the queue, so the stuck thread cannot handle another event. The monitor
 * guards the queue, the scheduling and the generation; the instance is touched only by the one
 * thread draining it.
 */
final class Mailbox {

  record Queued(RoomEvent event, long enqueuedAtMillis) {}

  /** What became of an event offered to the mailbox. */
  enum Admission {
    TAKEN,
    FULL,
    RETIRED
  }

  /** Does what the head event needs, on the draining thread. */
  interface Turn {
    /**
     * Handles the head event, or deals with it otherwise (taking it with {@link #take}).
     *
     * @return false to stop this drain: it was abandoned, or a retry will drain again
     */
    boolean handle(Mailbox mailbox, int generation, Queued head);
  }

  static final int ACTIVE_QUEUE_LIMIT = 16_384;

  /** Events one drain handles before yielding its thread to other instances. */
  private static final int BATCH = 64;

  final RoomKey key;
  final RoomSettings settings;
  final Supplier<Room> factory;
  final LeaseKeeper lease;

  /** Where the instance's coming into memory and leaving it is told. */
  final Transitions transitions;

  private final RoomThreads threads;
  private final Turn turn;
  private final Deque<Queued> queue = new ArrayDeque<>();

  /** A drain task is queued or running (or waiting to retry an activation). */
  private boolean scheduled;

  /** Evicted: removed from the runtime, takes no more events. */
  private boolean retired;

  private int generation;

  /** The drain that waits for its backoff, if one does. */
  private Retry pendingRetry;

  int activationFailures;
  volatile ActiveInstance instance;

  /**
   * Gateways this instance handed an event back to, with the holder it named: their later events are
   * handed back too until their fence arrives, or a later event could overtake the returned one.
   */
  final Map<String, Optional<String>> handingBack = new HashMap<>();

  volatile long lastActivityMillis;

  /** An operator asked for the instance to go now (admin API): the next sweep takes it if idle. */
  volatile boolean evictionOrdered;

  Mailbox(
      RoomKey key,
      RoomSettings settings,
      Supplier<Room> factory,
      LeaseKeeper lease,
      Transitions transitions,
      RoomThreads threads,
      Turn turn,
      long nowMillis) {
    this.key = key;
    this.settings = settings;
    this.factory = factory;
    this.lease = lease;
    this.transitions = transitions;
    this.threads = threads;
    this.turn = turn;
    this.lastActivityMillis = nowMillis;
  }

  /**
   * Queues an event and makes sure a drain will handle it.
   *
   * @param bounded whether the event may be turned away when the queue is at its {@link #capacity}
   */
  synchronized Admission offer(RoomEvent event, boolean bounded, long nowMillis) {
    if (retired) {
      return Admission.RETIRED;
    }
    if (bounded && queue.size() >= capacity()) {
      return Admission.FULL;
    }
    queue.add(new Queued(event, nowMillis));
    if (!scheduled) {
      scheduled = true;
      int current = generation;
      threads.execute(() -> drain(current));
    }
    return Admission.TAKEN;
  }

  /**
   * Events that may wait: while the instance wakes, the room's wake buffer (at least one); once it
   * runs, a bound that only a flood reaches, so a burst on a busy room is not refused.
   */
  private int capacity() {
    return instance == null ? Math.max(1, settings.wakeBufferMessages()) : ACTIVE_QUEUE_LIMIT;
  }

  private void drain(int generation) {
    for (int handled = 0; handled < BATCH; handled++) {
      Queued head = head(generation);
      if (head == null || !turn.handle(this, generation, head)) {
        return;
      }
    }
    threads.execute(() -> drain(generation));
  }

  /** The head event, or null when the queue is empty (the drain ends) or the generation was abandoned. */
  private synchronized Queued head(int generation) {
    if (this.generation != generation) {
      return null;
    }
    Queued next = queue.peek();
    if (next == null) {
      scheduled = false;
    }
    return next;
  }

  /** Removes the head event for handling; null when the generation was abandoned meanwhile. */
  synchronized RoomEvent take(int generation) {
    return this.generation == generation ? queue.poll().event() : null;
  }

  /**
   * Removes every waiting event and counts the drain as over: the caller must end it, as the next
   * offer starts a new one. Nothing when the generation was abandoned meanwhile.
   */
  synchronized List<RoomEvent> takeAll(int generation) {
    List<RoomEvent> taken = new ArrayList<>();
    if (this.generation == generation) {
      queue.forEach(queued -> taken.add(queued.event()));
      queue.clear();
      scheduled = false;
    }
    return taken;
  }

  /** Drains again after a delay (an activation's backoff); the drain counts as scheduled meanwhile. */
  void drainLater(int generation, OwnerClock clock, long delayMillis) {
    Retry retry = new Retry(generation);
    synchronized (this) {
      pendingRetry = retry;
    }
    clock.schedule(delayMillis, () -> retry(retry));
  }

  /** A retry waiting for its backoff runs now (the owner was cut off from the store: no use waiting). */
  void retryNow() {
    Retry retry;
    synchronized (this) {
      retry = pendingRetry;
    }
    if (retry != null) {
      retry(retry);
    }
  }

  /** Runs the retry's drain unless it ran already: a timer and {@link #retryNow} may both try. */
  private void retry(Retry retry) {
    synchronized (this) {
      if (pendingRetry != retry) {
        return;
      }
      pendingRetry = null;
    }
    threads.execute(() -> drain(retry.generation));
  }

  /** A drain to resume after a backoff; one object per backoff, so a late timer finds it gone. */
  private record Retry(int generation) {}

  synchronized boolean isCurrent(int generation) {
    return this.generation == generation;
  }

  /**
   * Abandons the current drain, whose thread is stuck in a handler: a drain of the next generation
   * takes over whatever waits. Call holding the monitor, after deciding under it that the drain is stuck.
   */
  synchronized void abandonDrain() {
    generation++;
    int next = generation;
    if (queue.isEmpty()) {
      scheduled = false;
    } else {
      threads.execute(() -> drain(next));
    }
  }

  /**
   * Retires the mailbox when nothing is queued or running and it has been idle for {@code idleMillis},
   * or at once when a renewal found its lease taken (its instance can never act again) and no gateway's
   * fence is awaited (a fresh mailbox would not hand that gateway's in-flight events back after the
   * returned one): it takes no more events from then on, and {@code onRetire} runs before any offer can
   * see that. An instance waiting for the answer of a call it made is not idle.
   */
  synchronized boolean retireIfIdle(long nowMillis, long idleMillis, Runnable onRetire) {
    boolean lost = lease.lost() && handingBack.isEmpty();
    ActiveInstance current = instance;
    boolean calling = current != null && current.callsOutstanding();
    boolean idle = evictionOrdered || nowMillis - lastActivityMillis >= idleMillis;
    if (scheduled || (!lost && (calling || !idle))) {
      return false;
    }
    retired = true;
    onRetire.run();
    return true;
  }

  /**
   * Drops the instance from memory, for {@code why}; the retired object refuses all further use.
   *
   * @return whether there was one
   */
  boolean resetInstance(Eviction why) {
    ActiveInstance current = instance;
    instance = null;
    if (current != null && current.retire()) {
      transitions.hibernated(key, why); // once, should two threads reset it at once
    }
    return current != null;
  }

  /** A drain is queued, running or waiting to retry. */
  synchronized boolean busy() {
    return scheduled;
  }
}
