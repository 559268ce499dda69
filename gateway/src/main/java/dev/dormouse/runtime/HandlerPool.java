package dev.dormouse.runtime;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads that run room code. A handler that overruns its timeout may never return; the pool then
 * grows by one thread for as long as it is stuck, so a stuck room never starves the others.
 */
final class HandlerPool {

  private final ThreadPoolExecutor executor;
  private final int baseSize;
  private final AtomicInteger stuck = new AtomicInteger();

  HandlerPool(int size) {
    this.baseSize = size;
    AtomicInteger n = new AtomicInteger();
    ThreadFactory threads = r -> {
      Thread t = new Thread(r, "room-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    executor = new ThreadPoolExecutor(size, size, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads);
  }

  void execute(Runnable task) {
    executor.execute(task);
  }

  /** A thread is lost to a handler that overran; add one in its place. */
  synchronized void compensateStuck() {
    resize(stuck.incrementAndGet());
  }

  /** The overrunning handler finally returned its thread. */
  synchronized void stuckReturned() {
    resize(stuck.decrementAndGet());
  }

  private void resize(int extra) {
    int size = baseSize + Math.max(0, extra);
    if (size > executor.getMaximumPoolSize()) {
      executor.setMaximumPoolSize(size);
      executor.setCorePoolSize(size);
    } else {
      executor.setCorePoolSize(size);
      executor.setMaximumPoolSize(size);
    }
  }

  void shutdown(long timeoutMillis) throws InterruptedException {
    executor.shutdown();
    executor.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS);
  }
}
