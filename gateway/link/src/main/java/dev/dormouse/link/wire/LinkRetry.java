package dev.dormouse.link.wire;

import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.LongUnaryOperator;

/**
 * When a link tries to connect again. Until the owner has answered once, and for at most {@link
 * #START_PATIENCE} from the link's creation, it retries at the first interval: an owner that is not
 * listening yet is most likely starting (the gateway links to a pod as soon as it runs), and each
 * doubling of the wait there would add as much to a room's wake. A refused connect costs the owner
 * one reset, so this is about 27 a second per gateway for a few seconds. After that, and after a
 * link that was up is lost, the wait doubles up to {@link #MAX_MILLIS}. Only touched on the link's
 * event loop.
 */
final class LinkRetry {

  static final long FIRST_MILLIS = 50;
  static final long MAX_MILLIS = 2_000;

  /** Longer than an owner's start takes (seconds), short enough that a dead address backs off. */
  static final Duration START_PATIENCE = Duration.ofSeconds(30);

  private final LongSupplier nanoClock;
  private final LongUnaryOperator jitter;
  private final long createdNanos;
  private boolean answered;
  private int failures;

  /**
   * @param jitter given a ceiling, a delay of at most it: gateways that lost the same owner do not
   *     all come back in the same millisecond
   */
  LinkRetry(LongSupplier nanoClock, LongUnaryOperator jitter) {
    this.nanoClock = nanoClock;
    this.jitter = jitter;
    this.createdNanos = nanoClock.getAsLong();
  }

  /** The wait before the next attempt, in milliseconds, after one more that failed. */
  long nextDelayMillis() {
    boolean starting = !answered && nanoClock.getAsLong() - createdNanos < START_PATIENCE.toNanos();
    long ceiling =
        starting ? FIRST_MILLIS : Math.min(MAX_MILLIS, FIRST_MILLIS << Math.min(failures, 16));
    failures++;
    return jitter.applyAsLong(ceiling);
  }

  /** The first attempt after this fails waits the first interval again. */
  void linked() {
    answered = true;
    failures = 0;
  }

  /** Whether the next failure is the first in a row (logged louder than the rest). */
  boolean firstFailure() {
    return failures == 0;
  }
}
