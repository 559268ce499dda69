package dev.dormouse.store;

import dev.dormouse.room.RoomKey;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Single activation: an owner takes a room instance's lease before running it, keeps it by renewing
 * it within its time to live, and gives it up when it evicts the instance.
 *
 * @throws StoreUnavailableException from every method when the store cannot answer
 */
public interface LeaseStore {

  /** The outcome of asking for a lease: granted, or held by another owner. */
  record Grant(Lease lease, String holder) {
    public boolean granted() {
      return lease != null;
    }
  }

  Duration ttl();

  Grant acquire(RoomKey key, String ownerId);

  /** Extends the lease; false when it has been lost. */
  boolean renew(Lease lease);

  /** {@link #renew} without waiting for the answer, for a thread that must not wait on the store. */
  CompletionStage<Boolean> renewInBackground(Lease lease);

  /** Gives the lease up without waiting for the answer; true when it was still held. */
  CompletionStage<Boolean> releaseInBackground(Lease lease);
}
