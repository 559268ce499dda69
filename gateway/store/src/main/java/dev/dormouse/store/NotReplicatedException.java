package dev.dormouse.store;

import io.lettuce.core.RedisException;

/**
 * Fewer replicas than required acknowledged a write within WAIT's timeout: the primary has it, but a
 * failover could lose it. A {@link RedisException}, so {@link RedisCalls} reports it as the store being
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
}
