package dev.dormouse.store;

import dev.dormouse.room.RoomKey;
import java.time.Instant;
import java.util.Optional;

/** Each instance's alarm time, so it outlives the activation that set it; written under the instance's lease. */
public interface AlarmStore {

  void set(Lease lease, Instant at);

  Optional<Instant> get(RoomKey key);

  void delete(Lease lease);
}
