package dev.dormouse.runtime;

import dev.dormouse.store.SharedThread;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Threads that run room code, shared by every instance on the owner. Two things take a thread from
 * the others, and for each the pool grows by one thread while it lasts, so neither starves them:
 * <ul>
 * <li>a handler that overran its timeout and may never return;
 * <li>a wait on Redis longer than {@link #WAIT_GRACE_MILLIS}. Its threads are {@link SharedThread}s,
 * so every synchronous Redis call on them — the runtime's and the room code's alike — goes through
 * {@link #whileWaiting}. A stalled Redis then holds only the threads of instances that wait on it;
 * rooms with no Redis work run on. At most {@link #MAX_WAITING_REPLACED} waits are stood in for.
 * </ul>
 * Why threads that wait rather than asynchronous Redis calls: room code calls storage synchronously
 * ({@code Storage.get} returns the value), so a thread has to wait somewhere anyway, and one way of
 * waiting for every call is simpler than continuations for the runtime's calls plus this for the
 * room's. Why not a ForkJoinPool and {@code managedBlock}: it cannot be grown for a handler stuck in
 * room code on Java 17. Why a grace: growing and shrinking the pool starts and stops threads, and a
 * healthy Redis answers well within it, so only a slow one costs threads.
 */
final class HandlerPool implements RoomThreads {

  static final long WAIT_GRACE_MILLIS = 10;

  /** Stalled instances whose threads are stood in for: thousands of threads would cost more than waiting. */
  static final int MAX_WAITING_REPLACED = 256;

  private final ThreadPoolExecutor executor;
  private final ScheduledExecutorService timers;
  private final int baseSize;
  private final int maxWaitingReplaced;

  /** Guarded by this, as are the pool's sizes. */
  private int stuck;

  private int waitingReplaced;

  HandlerPool(int size, ScheduledExecutorService timers) {
    this(size, MAX_WAITING_REPLACED, timers);
  }

  HandlerPool(int size, int maxWaitingReplaced, ScheduledExecutorService timers) {
    this.baseSize = size;
    this.maxWaitingReplaced = maxWaitingReplaced;
    this.timers = timers;
    AtomicInteger n = new AtomicInteger();
    ThreadFactory threads = r -> new RoomThread(r, "room-" + n.incrementAndGet());
    executor =
        new ThreadPoolExecutor(
            size, size, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads);
  }

  @Override
  public void execute(Runnable task) {
    executor.execute(task);
  }

  @Override
  public synchronized void compensateStuck() {
    stuck++;
    resize();
  }

  @Override
  public synchronized void stuckReturned() {
    stuck--;
    resize();
  }

  @Override
  public synchronized int waitingReplaced() {
    return waitingReplaced;
  }

  private <T> T whileWaiting(Supplier<T> call) {
    Replacement replacement = new Replacement();
    ScheduledFuture<?> late;
    try {
      late = timers.schedule(replacement::begin, WAIT_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      return call.get(); // the runtime is closing: no other room is left to run
    }
    try {
      return call.get();
    } finally {
      late.cancel(false);
      replacement.end();
    }
  }

  /** A thread standing in for one that waits, from the end of the grace until the wait ends. */
  private final class Replacement {

    private boolean begun;
    private boolean ended;

    void begin() {
      synchronized (HandlerPool.this) {
        if (!ended && waitingReplaced < maxWaitingReplaced) {
          begun = true;
          waitingReplaced++;
          resize();
        }
      }
    }

    void end() {
      synchronized (HandlerPool.this) {
        ended = true;
        if (begun) {
          waitingReplaced--;
          resize();
        }
      }
    }
  }

  private void resize() {
    int size = baseSize + Math.max(0, stuck) + waitingReplaced;
    if (size > executor.getMaximumPoolSize()) {
      executor.setMaximumPoolSize(size);
      executor.setCorePoolSize(size);
    } else {
      executor.setCorePoolSize(size);
      executor.setMaximumPoolSize(size);
    }
  }

  @Override
  public void shutdown(long timeoutMillis) throws InterruptedException {
    executor.shutdown();
    executor.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  private final class RoomThread extends Thread implements SharedThread {

    RoomThread(Runnable task, String name) {
      super(task, name);
      setDaemon(true);
    }

    @Override
    public <T> T waitFor(Supplier<T> blockingCall) {
      return whileWaiting(blockingCall);
    }
  }
}
