package dev.dormouse.store;

import dev.dormouse.room.AutoResponsePair;
import dev.dormouse.room.RoomKey;
import java.util.Optional;

/** The auto-response pair a room set, written under the instance's lease. */
public interface AutoResponseStore {

  Optional<AutoResponsePair> pair(RoomKey key);

  /** Sets the pair, or removes it when {@code pair} is null. */
  void setPair(Lease lease, AutoResponsePair pair);
}
