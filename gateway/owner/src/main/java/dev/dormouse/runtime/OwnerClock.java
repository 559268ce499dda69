package dev.dormouse.runtime;

/**
 * The runtime's time: the wall clock for what it records, a monotonic one for what it measures, and
 * timers for what must happen later. Injected, so a test can move time itself.
 */
interface OwnerClock {

  /** Wall-clock time, epoch millis: enqueue times, last activity, alarm instants. */
  long epochMillis();

  /** Monotonic nanos, for intervals only: lease validity is judged on it, never on the wall clock. */
  long nanoTime();

  /** Runs {@code task} once after {@code delayMillis}, on the timer thread. */
  Timer schedule(long delayMillis, Runnable task);

  /** Runs {@code task} every {@code periodMillis}, each run that long after the previous one ended. */
  void repeat(long periodMillis, Runnable task);

  /** Stops the timers: nothing scheduled runs any more. */
  void shutdown();

  /** A scheduled task. */
  interface Timer {
    /** Keeps it from running if it has not started. */
    void cancel();
  }
}
