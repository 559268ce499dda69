package dev.dormouse.store;

import dev.dormouse.room.RoomKey;
import java.time.Instant;
import java.util.Optional;

/** When the gateway last answered each connection's auto-response request, as the owner reads and forgets it. */
public interface AnswerTimes {

  Optional<Instant> lastAnswered(RoomKey key, String connectionId);

  /** Drops a closed connection's time, without waiting. */
  void forget(RoomKey key, String connectionId);
}
