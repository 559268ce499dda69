package dev.dormouse.room;

/**
 * What the room learns about the alarm it is handling. An alarm is delivered at least once: when
 * {@link Room#onAlarm(AlarmInfo)} throws (or overruns its eventTimeout) it is raised again with
 * backoff, up to {@link #MAX_RETRIES} times, each time with the count of attempts that failed before.
 *
 * @param retryCount how many attempts at this alarm failed before this one; 0 for the first
 */
public record AlarmInfo(int retryCount) {

  /** Attempts after the first before an alarm that keeps failing is dropped (as Durable Objects). */
  public static final int MAX_RETRIES = 6;

  public AlarmInfo {
    if (retryCount < 0) {
      throw new IllegalArgumentException("retryCount must not be negative: " + retryCount);
    }
  }

  /** Whether an earlier attempt at this alarm failed. */
  public boolean isRetry() {
    return retryCount > 0;
  }
}
