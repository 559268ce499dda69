package dev.dormouse.store;

import java.util.concurrent.CompletionStage;

/**
 * {@link StoreProbe} as a Redis PING on the shared connection: it queues behind the commands on that
 * connection, so its answer is as late as theirs. With {@code DORMOUSE_LEASE_REPLICAS} 0 that includes
 * the owner's lease renewals; above 0 they go over a connection of their own ({@link LeaseWrites}) and
 * the PING says nothing of it. On a Cluster it reaches the node Lettuce picks for keyless commands.
 */
final class RedisStoreProbe implements StoreProbe {

  private final RedisConnector redis;

  RedisStoreProbe(RedisConnector redis) {
    this.redis = redis;
  }

  @Override
  public CompletionStage<Void> ping() {
    return RedisCalls.guarded("ping Redis", redis.async().ping()).thenApply(pong -> null);
  }
}
