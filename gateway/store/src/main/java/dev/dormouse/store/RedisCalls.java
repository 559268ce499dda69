package dev.dormouse.store;

import io.lettuce.core.RedisException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** Turns the Redis client's failures into the store's own, so no Lettuce type leaves this module. */
final class RedisCalls {

  private RedisCalls() {
  }

  static <T> T call(Supplier<T> command) {
    try {
      return command.get();
    } catch (RedisException e) {
      throw new StoreUnavailableException(e);
    }
  }

  static void run(Runnable command) {
    call(() -> {
      command.run();
      return null;
    });
  }

  /** An asynchronous command, whose failure (at sending or in its answer) is the store's own. */
  static <T> CompletionStage<T> inBackground(Supplier<CompletionStage<T>> command) {
    return call(command).handle((value, error) -> {
      if (error == null) {
        return value;
      }
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      throw cause instanceof RedisException redis
          ? new StoreUnavailableException(redis)
          : new CompletionException(cause);
    });
  }
}
