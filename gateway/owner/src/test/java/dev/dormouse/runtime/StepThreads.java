package dev.dormouse.runtime;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The room threads in a test: tasks wait until the test runs them, one after another on its own
 * thread, so every interleaving a test shows is one it chose.
 */
final class StepThreads implements RoomThreads {

  private final Deque<Runnable> tasks = new ArrayDeque<>();

  /** Threads lost to overrunning handlers and not yet returned. */
  int stuck;

  @Override
  public synchronized void execute(Runnable task) {
    tasks.add(task);
  }

  /** Tasks queued and not yet run. */
  synchronized int queued() {
    return tasks.size();
  }

  /** Runs tasks, and those they queue, until none is left. */
  void runAll() {
    for (int ran = 0; ; ran++) {
      Runnable next;
      synchronized (this) {
        next = tasks.poll();
      }
      if (next == null) {
        return;
      }
      if (ran > 100_000) {
        throw new AssertionError("room threads never go idle");
      }
      next.run();
    }
  }

  @Override
  public synchronized void compensateStuck() {
    stuck++;
  }

  @Override
  public synchronized void stuckReturned() {
    stuck--;
  }

  @Override
  public int waitingReplaced() {
    return 0;
  }

  @Override
  public void shutdown(long timeoutMillis) {}
}
