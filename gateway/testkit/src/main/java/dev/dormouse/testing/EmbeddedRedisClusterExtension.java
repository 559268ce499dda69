package dev.dormouse.testing;

import dev.dormouse.store.RedisConnector;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One three-primary {@link EmbeddedRedisCluster} per test class, as {@link EmbeddedRedisExtension}
 * hands out one server: a parameter of type {@link EmbeddedRedisCluster}, {@link RedisNodes} or
 * {@link RedisConnector} (of a {@code @BeforeAll} method, a constructor or a test) gets the class's
 * cluster, or a Cluster connection to it. A test class written for {@link EmbeddedRedisExtension}
 * runs on a cluster in a subclass that extends with this one. Both are closed after the class's last test, the connection first, also when a
 * test failed.
 */
public final class EmbeddedRedisClusterExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(EmbeddedRedisClusterExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == EmbeddedRedisCluster.class
        || type == RedisNodes.class
        || type == RedisConnector.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    ExtensionContext.Store store = EmbeddedRedisExtension.classContext(context).getStore(NAMESPACE);
    EmbeddedRedisCluster cluster =
        store.getOrComputeIfAbsent(
            EmbeddedRedisCluster.class, type -> start(), EmbeddedRedisCluster.class);
    if (parameter.getParameter().getType() == EmbeddedRedisCluster.class) {
      return cluster;
    }
    if (parameter.getParameter().getType() == RedisNodes.class) {
      return (RedisNodes) key -> "redis://127.0.0.1:" + cluster.nodeOf(key).port();
    }
    return store.getOrComputeIfAbsent(
        RedisConnector.class, type -> RedisConnector.connect(cluster.url()), RedisConnector.class);
  }

  private static EmbeddedRedisCluster start() {
    try {
      return EmbeddedRedisCluster.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded Redis Cluster", e);
    }
  }
}
