package dev.dormouse.testing;

/**
 * Where a key lives, for a test that must reach the very server behind it (to stall it, say): the one
 * redis-server, or the Cluster node that holds the key's slot. Both {@link EmbeddedRedisExtension}
 * and {@link EmbeddedRedisClusterExtension} resolve it, so one test class runs against either.
 */
@FunctionalInterface
public interface RedisNodes {

  /** A plain {@code redis://} URL of the server holding {@code key}. */
  String urlOfNodeHolding(String key);
}
