package dev.dormouse.contract;

/**
 * What one owner says about one room, published to {@link RedisKeys#activity} every few seconds.
 * A report whose {@code updatedAt} is older than {@link #STALE_AFTER_MILLIS} is from a dead owner.
 *
 * @param activeInstances instances of the room in memory on this owner
 * @param lastActivity epoch millis of the last event any of them handled, 0 if none
 * @param updatedAt epoch millis when the owner wrote this report
 * @param codeError why the room's code cannot run on this owner (a module that fails to load, with
 *     its file and line), or {@code null} when it runs: the operator shows it as Degraded
 */
public record ActivityReport(
    int activeInstances, long lastActivity, long updatedAt, String codeError) {

  public static final long STALE_AFTER_MILLIS = 30_000;

  public ActivityReport(int activeInstances, long lastActivity, long updatedAt) {
    this(activeInstances, lastActivity, updatedAt, null);
  }

  public boolean isStale(long nowMillis) {
    return nowMillis - updatedAt > STALE_AFTER_MILLIS;
  }
}
