package dev.dormouse.store;

import dev.dormouse.room.Storage;

/** Each instance's key–value storage; its writes go under the instance's lease. */
public interface StorageStore {

  Storage of(Lease lease);
}
