package dev.dormouse.runtime;

import dev.dormouse.runtime.RoomContextLoader.RoomCode;

/**
 * Which instance's code the current room thread runs (its onStart, a handler, a call's
 * continuation), so that a wait on a call's future that could never end — its answer is an event of
 * that same mailbox — is refused at once rather than holding the mailbox until eventTimeout.
 */
final class MailboxThread {

  private static final ThreadLocal<ActiveInstance> RUNNING = new ThreadLocal<>();

  private MailboxThread() {}

  /** Runs {@code code} as {@code instance}'s; null runs it as no instance's. */
  static <T, E extends Throwable> T runAs(ActiveInstance instance, RoomCode<T, E> code) throws E {
    ActiveInstance previous = RUNNING.get();
    RUNNING.set(instance);
    try {
      return code.run();
    } finally {
      RUNNING.set(previous);
    }
  }

  /** True when the current thread runs {@code instance}'s code. */
  static boolean runs(ActiveInstance instance) {
    return RUNNING.get() == instance;
  }
}
