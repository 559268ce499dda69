package dev.dormouse.store;

import io.lettuce.core.RedisException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Turns the Redis client's failures into the store's own {@link StoreUnavailableException}, naming
 * what was being done, so no Lettuce type leaves this module.
 */
final class RedisCalls {

  private RedisCalls() {}

  static <T> T call(String what, Supplier<T> command) {
    try {
      return command.get();
    } catch (RedisException e) {
      throw new StoreUnavailableException(what + ": " + e.getMessage(), e);
    }
  }

  /** An asynchronous command, whose failure completes it with the store's own exception. */
  static <T> CompletionStage<T> guarded(String what, CompletionStage<T> command) {
    return command.handle(
        (value, error) -> {
          if (error != null) {
            Throwable cause =
                error instanceof CompletionException && error.getCause() != null
                    ? error.getCause()
                    : error;
            throw new StoreUnavailableException(what + ": " + cause.getMessage(), cause);
          }
          return value;
        });
  }
}
