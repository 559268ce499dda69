package dev.dormouse.store;

import dev.dormouse.room.RoomKey;

/**
 * Each instance's sleeps and wakes, for people watching (the admin page): its last transitions and
 * how often it woke. Observability, not state: nothing reads it to decide anything, so it is written
 * under no lease, in the background, and a lost write is acceptable.
 */
public interface InstanceHistory {

  /**
   * Records a transition without waiting for the store: a failure is logged, never thrown into the
   * room's path, and a stalled store holds no caller.
   */
  void append(RoomKey key, InstanceTransition transition);

  /**
   * The instance's wake count and its last transitions (at most {@code limit}), oldest first; none
   * for an instance never seen or whose history expired.
   *
   * @throws StoreUnavailableException when the store does not answer
   * @throws IllegalArgumentException when {@code limit} is not positive
   */
  HistoryView read(RoomKey key, int limit);
}
