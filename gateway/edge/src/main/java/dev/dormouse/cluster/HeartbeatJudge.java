package dev.dormouse.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides which gateways are dead from their heartbeats, as one reaper sees them round after round.
 * A heartbeat older than {@code deadAfter} is not enough: after Redis was unreachable for everyone
 * (restarted, stalled, cut off from this reaper), every beat looks old only because none could be
 * written, and reaping then would close the rooms' view of sockets that are alive. So a gateway is
 * dead only once this reaper has also seen its heartbeat unchanged for {@code deadAfter} of its own
 * clock, over rounds that followed one another closely; after a gap between rounds of more than
 * their interval and half of {@code deadAfter} (Redis unreachable or slow, this process paused) it
 * looks afresh.
 */
final class HeartbeatJudge {

  /** A heartbeat as last seen, and since when (monotonic). */
  private record Sighting(String beat, long sinceNanos) {}

  private final long deadAfterMillis;
  private final long deadAfterNanos;
  private final long maxRoundGapNanos;
  private final Map<String, Sighting> sightings = new HashMap<>();
  private long lastRoundNanos;
  private boolean seenOnce;

  /** @param interval how often the rounds come */
  HeartbeatJudge(Duration deadAfter, Duration interval) {
    this.deadAfterMillis = deadAfter.toMillis();
    this.deadAfterNanos = deadAfter.toNanos();
    this.maxRoundGapNanos = interval.toNanos() + deadAfterNanos / 2;
  }

  /**
   * One round: every gateway's heartbeat (epoch millis as text) just read from Redis.
   *
   * @return the gateways, other than {@code self}, to reap now
   */
  List<String> dead(Map<String, String> beats, String self, long nowMillis, long nowNanos) {
    if (!seenOnce || nowNanos - lastRoundNanos > maxRoundGapNanos) {
      sightings.clear();
    }
    seenOnce = true;
    lastRoundNanos = nowNanos;
    sightings.keySet().retainAll(beats.keySet());
    List<String> dead = new ArrayList<>();
    for (Map.Entry<String, String> gateway : beats.entrySet()) {
      if (gateway.getKey().equals(self)) {
        continue;
      }
      Sighting seen =
          sightings.compute(
              gateway.getKey(),
              (id, last) ->
                  last != null && last.beat().equals(gateway.getValue())
                      ? last
                      : new Sighting(gateway.getValue(), nowNanos));
      if (nowMillis - epochMillis(gateway.getValue()) > deadAfterMillis
          && nowNanos - seen.sinceNanos() >= deadAfterNanos) {
        dead.add(gateway.getKey());
      }
    }
    return dead;
  }

  /** A round that failed: what was seen before it says nothing about now. */
  void interrupted() {
    seenOnce = false;
  }

  static long epochMillis(String millis) {
    try {
      return Long.parseLong(millis);
    } catch (NumberFormatException e) {
      return 0; // not a heartbeat any gateway writes: nothing alive stands behind it
    }
  }
}
