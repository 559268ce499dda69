package dev.dormouse.testing;

import java.time.Duration;
import java.util.function.IntPredicate;

/**
 * Client traffic at a steady pace for a test to observe: a daemon thread that runs {@code step(0)},
 * {@code step(1)}, … with {@code interval} between them until a step returns false. The pause sets
 * the rate of the traffic; it never stands in for waiting on a result.
 */
public final class PacedLoop {

  private final Thread thread;

  private PacedLoop(String name, Duration interval, IntPredicate step) {
    thread =
        new Thread(
            () -> {
              for (int i = 0; step.test(i); i++) {
                try {
                  Thread.sleep(interval.toMillis());
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            name);
    thread.setDaemon(true);
  }

  public static PacedLoop start(String name, Duration interval, IntPredicate step) {
    PacedLoop loop = new PacedLoop(name, interval, step);
    loop.thread.start();
    return loop;
  }

  /** Whether the loop ended within {@code timeout}. */
  public boolean awaitEnd(Duration timeout) throws InterruptedException {
    thread.join(timeout.toMillis());
    return !thread.isAlive();
  }
}
