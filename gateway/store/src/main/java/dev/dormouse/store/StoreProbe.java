package dev.dormouse.store;

import java.util.concurrent.CompletionStage;

/**
 * Whether the store answers at all: a round trip that reads and writes nothing, so an owner can tell it
 * is cut off from the store before its leases may have expired.
 */
public interface StoreProbe {

  /**
   * Sends the probe without waiting. Completes when the store answered, exceptionally (with a {@link
   * StoreUnavailableException}) when it could not; while the store is unreachable it may complete only
   * after the store's command timeout.
   */
  CompletionStage<Void> ping();
}
