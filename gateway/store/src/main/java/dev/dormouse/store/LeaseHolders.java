package dev.dormouse.store;

import dev.dormouse.room.RoomKey;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** Which owner holds the lease of each room instance, as a gateway reads it (never writes it). */
public interface LeaseHolders {

  /** The id of the owner holding each key's lease; a key without a lease is absent. Never blocks. */
  CompletionStage<Map<RoomKey, String>> holders(Collection<RoomKey> keys);
}
