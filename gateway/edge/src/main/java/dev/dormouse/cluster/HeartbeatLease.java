package dev.dormouse.cluster;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * How long this gateway may still serve without a heartbeat Redis acknowledged, judged by its own
 * monotonic clock like an owner's lease. It runs from the send time of the last acknowledged beat,
 * not its answer: Redis may have written that beat as early as it was sent, and the reapers' count
 * of {@code deadAfter} starts no earlier than that write.
 */
final class HeartbeatLease {

  private final long validNanos;
  private final LongSupplier nanoTime;
  private long acknowledgedSentNanos;

  /** @param valid how long after an acknowledged beat's send time this gateway may serve */
  HeartbeatLease(Duration valid, LongSupplier nanoTime) {
    this.validNanos = valid.toNanos();
    this.nanoTime = nanoTime;
    this.acknowledgedSentNanos = nanoTime.getAsLong();
  }

  /** The current time, to pass to {@link #acknowledged} once the beat sent now is answered. */
  long now() {
    return nanoTime.getAsLong();
  }

  /** A beat sent at {@code sentNanos} was acknowledged; an older one answered late changes nothing. */
  synchronized void acknowledged(long sentNanos) {
    if (sentNanos - acknowledgedSentNanos > 0) {
      acknowledgedSentNanos = sentNanos;
    }
  }

  /** True once no acknowledged beat was sent within the validity. */
  synchronized boolean expired() {
    return nanoTime.getAsLong() - acknowledgedSentNanos > validNanos;
  }
}
