package dev.dormouse.store;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Turns the Redis client's failures into the store's own {@link StoreUnavailableException}, naming
 * what was being done and what Redis said, so no Lettuce type leaves this module; a synchronous call
 * first asks again through the replies of a cluster that is changing.
 */
final class RedisCalls {

  /**
   * Replies with which Redis refuses a command it did not run while its cluster changes: a slot's
   * keys split between two nodes by a resharding (TRYAGAIN, for a script over keys on both), no
   * primary for a slot (CLUSTERDOWN, MASTERDOWN), a restarted node reading its data (LOADING).
   * Lettuce follows MOVED and ASK but hands these back.
   */
  private static final List<String> TRANSIENT =
      List.of("TRYAGAIN", "CLUSTERDOWN", "MASTERDOWN", "LOADING");

  /**
   * How long a synchronous call keeps asking through such replies: the gap between two MIGRATE
   * calls of one slot is milliseconds, so room code writing storage never sees it; a failover takes
   * longer and is reported as any outage.
   */
  private static final Duration PATIENCE = Duration.ofSeconds(2);

  private static final long FIRST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
  private static final long LONGEST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private RedisCalls() {}

  static <T> T call(String what, Supplier<T> command) {
    return call(what, command, PATIENCE);
  }

  /** {@link #call}, asking again through transient replies for at most {@code patience}. */
  static <T> T call(String what, Supplier<T> command, Duration patience) {
    long deadline = System.nanoTime() + patience.toNanos();
    long pause = FIRST_PAUSE_NANOS;
    while (true) {
      try {
        return command.get();
      } catch (RedisException e) {
        if (!isTransient(e)) {
          throw unavailable(what, e);
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || Thread.currentThread().isInterrupted()) {
          throw new StoreUnavailableException(
              what + ": " + e.getMessage() + " (still so after " + patience.toMillis() + " ms)", e);
        }
        pause(Math.min(pause, left));
        pause = Math.min(pause * 2, LONGEST_PAUSE_NANOS);
      }
    }
  }

  /** An asynchronous command, whose failure completes it with the store's own exception. */
  static <T> CompletionStage<T> guarded(String what, CompletionStage<T> command) {
    return guarded(command, cause -> unavailable(what, cause));
  }

  /** An asynchronous command whose failure completes it with what {@code failure} makes of it. */
  static <T> CompletionStage<T> guarded(
      CompletionStage<T> command, Function<Throwable, RuntimeException> failure) {
    return command.handle(
        (value, error) -> {
          if (error != null) {
            Throwable cause =
                error instanceof CompletionException && error.getCause() != null
                    ? error.getCause()
                    : error;
            throw failure.apply(cause);
          }
          return value;
        });
  }

  /** The message names Redis's reply, as TRYAGAIN or CLUSTERDOWN, which is its first word. */
  static StoreUnavailableException unavailable(String what, Throwable cause) {
    return new StoreUnavailableException(what + ": " + cause.getMessage(), cause);
  }

  private static boolean isTransient(RedisException error) {
    return error instanceof RedisCommandExecutionException
        && error.getMessage() != null
        && TRANSIENT.stream().anyMatch(reply -> error.getMessage().startsWith(reply + " "));
  }

  /** A pause on a thread many rooms share lets them run meanwhile, as a Redis call there does. */
  private static void pause(long nanos) {
    Supplier<Void> park =
        () -> {
          LockSupport.parkNanos(nanos);
          return null;
        };
    if (Thread.currentThread() instanceof SharedThread shared) {
      shared.waitFor(park);
    } else {
      park.get();
    }
  }
}
