package dev.dormouse.runtime;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The process's clocks, and one daemon timer thread, which must never wait on Redis. */
final class SystemClock implements OwnerClock {

  private final ScheduledExecutorService timers =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "room-timers");
            t.setDaemon(true);
            return t;
          });

  /** The timer thread, for the room threads' own grace timers. */
  ScheduledExecutorService timers() {
    return timers;
  }

  @Override
  public long epochMillis() {
    return System.currentTimeMillis();
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Timer schedule(long delayMillis, Runnable task) {
    var future = timers.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    return () -> future.cancel(false);
  }

  @Override
  public void repeat(long periodMillis, Runnable task) {
    timers.scheduleWithFixedDelay(task, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void shutdown() {
    timers.shutdownNow();
  }
}
