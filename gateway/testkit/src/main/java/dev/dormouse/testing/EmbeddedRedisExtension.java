package dev.dormouse.testing;

import dev.dormouse.store.EmbeddedRedis;
import dev.dormouse.store.RedisConnector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * One embedded redis-server per test class, handed out as Lettuce's own test extension hands out its
 * clients: a parameter of type {@link EmbeddedRedis}, {@link RedisNodes} or {@link RedisConnector} (of
 * a {@code @BeforeAll} method, a constructor or a test) gets the class's server, or a connection to
 * it. Both are closed after the class's last test, the connection first. A subclass that also extends
 * with {@link EmbeddedRedisClusterExtension} gets a Cluster instead: the same tests on a Redis Cluster.
 */
public final class EmbeddedRedisExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(EmbeddedRedisExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return (type == EmbeddedRedis.class || type == RedisNodes.class || type == RedisConnector.class)
        && !wantsCluster(context);
  }

  private static boolean wantsCluster(ExtensionContext context) {
    return context
        .getTestClass()
        .map(
            type ->
                AnnotationSupport.findRepeatableAnnotations(type, ExtendWith.class).stream()
                    .anyMatch(
                        with ->
                            Arrays.asList(with.value())
                                .contains(EmbeddedRedisClusterExtension.class)))
        .orElse(false);
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    ExtensionContext.Store store = classContext(context).getStore(NAMESPACE);
    EmbeddedRedis server =
        store.getOrComputeIfAbsent(EmbeddedRedis.class, type -> start(), EmbeddedRedis.class);
    if (parameter.getParameter().getType() == EmbeddedRedis.class) {
      return server;
    }
    if (parameter.getParameter().getType() == RedisNodes.class) {
      return (RedisNodes) key -> server.url();
    }
    return store.getOrComputeIfAbsent(
        RedisConnector.class, type -> RedisConnector.connect(server.url()), RedisConnector.class);
  }

  /** A test method's context (or a parameterized test's) hangs below its class's, which holds the server. */
  static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext c = context;
    while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
      c = c.getParent().get();
    }
    return c;
  }

  private static EmbeddedRedis start() {
    try {
      return EmbeddedRedis.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded redis-server", e);
    }
  }
}
