package dev.dormouse.store;

import io.lettuce.core.RedisException;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Lettuce's synchronous commands, each of which waits through the calling thread when that is a
 * {@link SharedThread}. Wrapping the one {@code sync()} every store uses, rather than each call site,
 * means no call made on a room thread can forget to.
 */
final class WaitingCommands {

  private WaitingCommands() {}

  @SuppressWarnings("unchecked")
  static <V> RedisClusterCommands<String, V> over(RedisClusterCommands<String, V> commands) {
    return (RedisClusterCommands<String, V>)
        Proxy.newProxyInstance(
            RedisClusterCommands.class.getClassLoader(),
            new Class<?>[] {RedisClusterCommands.class},
            (proxy, method, args) ->
                Thread.currentThread() instanceof SharedThread shared
                    ? shared.waitFor(() -> invoke(commands, method, args))
                    : invoke(commands, method, args));
  }

  private static Object invoke(Object commands, Method method, Object[] args) {
    try {
      return method.invoke(commands, args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new RedisException(e.getCause());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}
