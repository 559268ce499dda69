package dev.dormouse.gateway;

/**
 * A token bucket: {@code burst} tokens at most, refilled at {@code perSecond}. Not thread-safe; one
 * per connection, used on that connection's I/O thread.
 */
final class TokenBucket {

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final double perNano;
  private final double burst;
  private double tokens;
  private long last;

  TokenBucket(long perSecond, long burst, long nowNanos) {
    this.perNano = (double) perSecond / NANOS_PER_SECOND;
    this.burst = burst;
    this.tokens = burst;
    this.last = nowNanos;
  }

  /** Takes {@code n} tokens if that many are there; otherwise takes none. */
  boolean tryTake(long n, long nowNanos) {
    tokens = Math.min(burst, tokens + (nowNanos - last) * perNano);
    last = nowNanos;
    if (tokens < n) {
      return false;
    }
    tokens -= n;
    return true;
  }
}
