package dev.dormouse.testing;

import dev.dormouse.store.EmbeddedRedis;
import dev.dormouse.store.RedisConnector;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One embedded redis-server per test class, handed out as Lettuce's own test extension hands out its
 * clients: a parameter of type {@link EmbeddedRedis} or {@link RedisConnector} (of a {@code @BeforeAll}
 * method, a constructor or a test) gets the class's server, or a connection to it. Both are closed
 * after the class's last test, the connection first.
 */
public final class EmbeddedRedisExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(EmbeddedRedisExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == EmbeddedRedis.class || type == RedisConnector.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    ExtensionContext.Store store = classContext(context).getStore(NAMESPACE);
    EmbeddedRedis server =
        store.getOrComputeIfAbsent(EmbeddedRedis.class, type -> start(), EmbeddedRedis.class);
    if (parameter.getParameter().getType() == EmbeddedRedis.class) {
      return server;
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
