package dev.dormouse.store;

import java.util.concurrent.CompletionStage;

/**
 * {@link StoreProbe} as a Redis PING on the shared connection: it queues behind the owner's lease
 * commands on that connection, so its answer is as late as theirs. On a Cluster it reaches the node
 * Lettuce picks for keyless commands.
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
