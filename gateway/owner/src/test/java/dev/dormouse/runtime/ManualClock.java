package dev.dormouse.runtime;

import java.time.Duration;
import java.util.PriorityQueue;

/** The runtime's clock in a test: time moves only when the test moves it, and due timers run then, in order. */
final class ManualClock implements OwnerClock {

  private static final long EPOCH_AT_START_MILLIS = 1_800_000_000_000L;

  /** Far from zero, as System.nanoTime may be, and soon to wrap: the runtime must only compare differences. */
  private static final long START_NANOS = Long.MAX_VALUE - Duration.ofMinutes(1).toNanos();

  private final class Task implements Timer, Comparable<Task> {
    final long dueNanos;
    final long order;
    final Runnable body;
    boolean cancelled;

    Task(long dueNanos, long order, Runnable body) {
      this.dueNanos = dueNanos;
      this.order = order;
      this.body = body;
    }

    @Override
    public void cancel() {
      cancelled = true;
    }

    @Override
    public int compareTo(Task other) {
      // By difference, as the runtime compares nanos: the clock wraps a minute in.
      long apart = dueNanos - other.dueNanos;
      return apart != 0 ? Long.signum(apart) : Long.compare(order, other.order);
    }
  }

  private final PriorityQueue<Task> tasks = new PriorityQueue<>();
  private long nanos = START_NANOS;
  private long scheduled;
  private boolean stopped;

  @Override
  public synchronized long epochMillis() {
    return EPOCH_AT_START_MILLIS + (nanos - START_NANOS) / 1_000_000;
  }

  @Override
  public synchronized long nanoTime() {
    return nanos;
  }

  @Override
  public synchronized Timer schedule(long delayMillis, Runnable task) {
    Task timer = new Task(nanos + delayMillis * 1_000_000, scheduled++, task);
    if (!stopped) {
      tasks.add(timer);
    }
    return timer;
  }

  @Override
  public void repeat(long periodMillis, Runnable task) {
    schedule(
        periodMillis,
        () -> {
          task.run();
          repeat(periodMillis, task);
        });
  }

  /** How many timers are queued, cancelled ones included (they stay queued until due). */
  synchronized int queued() {
    return tasks.size();
  }

  @Override
  public synchronized void shutdown() {
    stopped = true;
    tasks.clear();
  }

  /** Moves time on by {@code step}, running each timer that falls due on the way at its due time. */
  void advance(Duration step) {
    long target;
    synchronized (this) {
      target = nanos + step.toNanos();
    }
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.peek();
        if (next == null || next.dueNanos - target > 0) {
          nanos = target;
          return;
        }
        tasks.poll();
        nanos = next.dueNanos - nanos > 0 ? next.dueNanos : nanos;
      }
      if (!next.cancelled) {
        next.body.run();
      }
    }
  }
}
