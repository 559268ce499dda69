package dev.dormouse.store;

import dev.dormouse.room.RoomKey;
import java.time.Duration;
import java.util.List;

/**
 * The index of due alarms as the gateways' watchers use it: one sorted set per namespace, room key by
 * due time. Claiming an entry moves it to now plus {@link #CLAIM_TIMEOUT}: no other raiser takes it
 * meanwhile, and if nobody settles it by then (the owner died, the event was lost or refused) it is
 * due again and raised again: at least once.
 */
public interface AlarmIndex {

  /** How long a claimed alarm waits for its owner before it is raised again. */
  Duration CLAIM_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Claims, in one atomic step, up to {@code limit} entries of the namespace due by {@code nowMillis}.
   *
   * @return the claimed instances, held until {@link #claimedUntil}
   */
  List<RoomKey> claimDue(String namespace, long nowMillis, int limit);

  /** Until when an entry claimed at {@code nowMillis} is held. */
  static long claimedUntil(long nowMillis) {
    return nowMillis + CLAIM_TIMEOUT.toMillis();
  }

  /**
   * Removes the entry of an instance whose room is gone, unless it changed since this raiser's
   * claim (held until {@code claimedUntil}).
   */
  void forget(RoomKey key, long claimedUntil);
}
