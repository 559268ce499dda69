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

  private static final ThreadLocal<Boolean> IN_TASK = ThreadLocal.withInitial(() -> false);

  /** True inside a task these threads run: code that runs elsewhere ran beside the room threads. */
  static boolean inTask() {
    return IN_TASK.get();
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
      IN_TASK.set(true);
      try {
        next.run();
      } finally {
        IN_TASK.set(false);
      }
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
