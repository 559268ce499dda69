package dev.dormouse.store;

import dev.dormouse.room.AutoResponsePair;
import dev.dormouse.room.RoomKey;
import java.time.Duration;
import java.util.Optional;

/**
 * What a room set of the hibernation API that must outlive its activation: the auto-response pair
 * and the hibernatable socket event timeout, written under the instance's lease.
 */
public interface AutoResponseStore {

  Optional<AutoResponsePair> pair(RoomKey key);

  /** Sets the pair, or removes it when {@code pair} is null. */
  void setPair(Lease lease, AutoResponsePair pair);

  Optional<Duration> socketEventTimeout(RoomKey key);

  /** Sets the timeout, or removes it when {@code timeout} is null. */
  void setSocketEventTimeout(Lease lease, Duration timeout);
}
