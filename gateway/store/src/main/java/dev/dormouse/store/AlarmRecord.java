package dev.dormouse.store;

import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An instance's alarm as kept in Redis: when its next attempt is due, how many attempts failed
 * before, and an id drawn when the room set it, so that an alarm set again for the same time during
 * its own {@code onAlarm} is told apart from the one being handled.
 */
public record AlarmRecord(long dueMillis, int retries, String id) {

  /** A new alarm, as the room sets it. */
  public static AlarmRecord set(Instant at) {
    return new AlarmRecord(
        at.toEpochMilli(), 0, Long.toHexString(ThreadLocalRandom.current().nextLong()));
  }

  /** The same alarm, to be tried again at {@code dueMillis} after one more failed attempt. */
  public AlarmRecord retryAt(long dueMillis) {
    return new AlarmRecord(dueMillis, retries + 1, id);
  }

  public Instant due() {
    return Instant.ofEpochMilli(dueMillis);
  }

  /**
   * The stored form. An alarm read from the bare epoch millis of before retries (no id; a set alarm
   * always has one) encodes back to that form, so the fenced compare of its outcome matches it.
   */
  String encode() {
    if (retries == 0 && id.isEmpty()) {
      return Long.toString(dueMillis);
    }
    return dueMillis + " " + retries + " " + id;
  }

  /** Reads {@link #encode()}'s form, and the bare epoch millis alarms were kept as before retries. */
  static AlarmRecord decode(String value) {
    String[] parts = value.split(" ", 3);
    if (parts.length == 1) {
      return new AlarmRecord(Long.parseLong(parts[0]), 0, "");
    }
    return new AlarmRecord(
        Long.parseLong(parts[0]), Integer.parseInt(parts[1]), parts.length > 2 ? parts[2] : "");
  }
}
