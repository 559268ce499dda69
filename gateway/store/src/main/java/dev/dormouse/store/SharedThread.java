package dev.dormouse.store;

import java.util.function.Supplier;

/**
 * A thread that many rooms share. Every synchronous Redis call made on it goes through
 * {@link #waitFor}, so its pool can run the other rooms' events on another thread while this one
 * waits for Redis: {@link java.util.concurrent.ForkJoinPool#managedBlock}'s idea, for the owner's
 * own pool.
 */
public interface SharedThread {

  /** Runs {@code blockingCall}, which may wait a long time, on this thread. */
  <T> T waitFor(Supplier<T> blockingCall);
}
