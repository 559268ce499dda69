package dev.dormouse.bench;

import java.util.Arrays;

/** Percentiles of recorded nanoseconds by sorting: exact, and cheap enough for a few 100k samples. */
final class Percentiles {

  private final long[] sorted;

  Percentiles(long[] samples, int count) {
    sorted = Arrays.copyOf(samples, count);
    Arrays.sort(sorted);
  }

  int count() {
    return sorted.length;
  }

  /** The nearest-rank percentile, in nanoseconds; 0 when nothing was recorded. */
  long at(double percent) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
    return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
  }

  long max() {
    return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
  }

  static String millis(long nanos) {
    return String.format("%.3f", nanos / 1e6);
  }
}
