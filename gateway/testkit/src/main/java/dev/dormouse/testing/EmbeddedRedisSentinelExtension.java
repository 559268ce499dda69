package dev.dormouse.testing;

import dev.dormouse.store.RedisConnector;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One {@link EmbeddedRedisSentinel} setup per test class, as {@link EmbeddedRedisClusterExtension}
 * hands out a cluster: a parameter of type {@link EmbeddedRedisSentinel} or {@link RedisConnector} (of
 * a {@code @BeforeAll} method, a constructor or a test) gets the class's setup, or a connection to it
 * through its Sentinels. Both are closed after the class's last test, the connection first, also when
 * a test failed.
 */
public final class EmbeddedRedisSentinelExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(EmbeddedRedisSentinelExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == EmbeddedRedisSentinel.class || type == RedisConnector.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    ExtensionContext.Store store = EmbeddedRedisExtension.classContext(context).getStore(NAMESPACE);
    EmbeddedRedisSentinel sentinel =
        store.getOrComputeIfAbsent(
            EmbeddedRedisSentinel.class, type -> start(), EmbeddedRedisSentinel.class);
    if (parameter.getParameter().getType() == EmbeddedRedisSentinel.class) {
      return sentinel;
    }
    return store.getOrComputeIfAbsent(
        RedisConnector.class, type -> RedisConnector.connect(sentinel.url()), RedisConnector.class);
  }

  private static EmbeddedRedisSentinel start() {
    try {
      return EmbeddedRedisSentinel.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded Redis Sentinel setup", e);
    }
  }
}
