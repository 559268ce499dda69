package dev.dormouse.store;

import dev.dormouse.room.Storage;

/** Each instance's key–value storage; its writes go under the instance's lease. */
public interface StorageStore {

  /** The instance's storage, refusing values over {@code maxValueBytes}. */
  Storage of(Lease lease, int maxValueBytes);
}
