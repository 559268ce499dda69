package dev.dormouse.store;

import java.util.concurrent.CompletionStage;

/**
 * The live connections of each room instance, kept so an evicted instance can be rebuilt. Written
 * only under the instance's lease: writes throw {@link StaleLeaseException} once it is lost.
 */
public interface ConnectionRegistry extends ConnectionRecords {

  void put(Lease lease, String connectionId, ConnectionRecord record);

  void remove(Lease lease, String connectionId);

  /**
   * {@link #put} without waiting: completes once the record is written, or fails with {@link
   * StaleLeaseException} or {@link StoreUnavailableException}. An instance's writes, these and the
   * synchronous ones, reach the store in the order they are made.
   */
  CompletionStage<Void> putInBackground(Lease lease, String connectionId, ConnectionRecord record);

  /** {@link #remove} without waiting, as {@link #putInBackground}. */
  CompletionStage<Void> removeInBackground(Lease lease, String connectionId);
}
