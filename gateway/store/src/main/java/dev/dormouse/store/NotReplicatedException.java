package dev.dormouse.store;

import io.lettuce.core.RedisException;

/**
 * Fewer replicas than required acknowledged a write within WAIT's timeout, or none is known to have:
 * the primary may have it, but a failover could lose it. A {@link RedisException}, so {@link RedisCalls} reports it as the store being
 * unavailable, which is what it is for a write that must survive a failover.
 */
final class NotReplicatedException extends RedisException {

  NotReplicatedException(long acknowledged, int required) {
    super(
        "acknowledged by "
            + acknowledged
            + " of the "
            + required
            + " replica(s) it must reach (DORMOUSE_LEASE_REPLICAS) within "
            + LeaseWrites.WAIT_TIMEOUT.toMillis()
            + " ms");
  }

  private NotReplicatedException(String message) {
    super(message);
  }

  /**
   * The connection dropped between the write and WAIT's answer: the answer, if any, came from a WAIT
   * Lettuce sent again on a new connection, which counts none of the writes before the drop.
   */
  static NotReplicatedException connectionChanged() {
    return new NotReplicatedException(
        "the connection to Redis dropped before its replicas acknowledged the write, so whether they"
            + " have it (DORMOUSE_LEASE_REPLICAS) is not known");
  }
}
