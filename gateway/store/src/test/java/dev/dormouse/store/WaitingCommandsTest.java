package dev.dormouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Synchronous Redis calls wait through the calling thread when it is one many rooms share. */
class WaitingCommandsTest {

  /** Commands that answer {@code get} with "value" and time out on anything else. */
  @SuppressWarnings("unchecked")
  private static final RedisClusterCommands<String, String> REDIS =
      WaitingCommands.over(
          (RedisClusterCommands<String, String>)
              Proxy.newProxyInstance(
                  RedisClusterCommands.class.getClassLoader(),
                  new Class<?>[] {RedisClusterCommands.class},
                  (proxy, method, args) -> {
                    if (method.getName().equals("get")) {
                      return "value";
                    }
                    throw new RedisCommandTimeoutException("Command timed out");
                  }));

  /** A shared thread that counts the waits it was told of. */
  private static final class CountingThread extends Thread implements SharedThread {

    final AtomicInteger waits = new AtomicInteger();

    CountingThread(Runnable task) {
      super(task);
    }

    @Override
    public <T> T waitFor(Supplier<T> blockingCall) {
      waits.incrementAndGet();
      return blockingCall.get();
    }
  }

  private static <T> T onSharedThread(Supplier<T> call, AtomicInteger waitsSeen) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    CountingThread thread =
        new CountingThread(
            () -> {
              try {
                result.complete(call.get());
              } catch (RuntimeException e) {
                result.completeExceptionally(e);
              }
            });
    thread.start();
    thread.join(TimeUnit.SECONDS.toMillis(5));
    waitsSeen.set(thread.waits.get());
    return result.get(0, TimeUnit.SECONDS);
  }

  @Test
  void aCallOnASharedThreadWaitsThroughIt() throws Exception {
    AtomicInteger waits = new AtomicInteger();

    assertThat(onSharedThread(() -> REDIS.get("k"), waits)).isEqualTo("value");

    assertThat(waits).hasValue(1);
  }

  @Test
  void aCallElsewhereJustRuns() {
    assertThat(REDIS.get("k")).isEqualTo("value");
  }

  @Test
  void redisErrorsArriveAsLettuceThrewThem() {
    assertThatThrownBy(() -> REDIS.del("k"))
        .isInstanceOf(RedisCommandTimeoutException.class)
        .hasMessage("Command timed out");
    AtomicInteger waits = new AtomicInteger();
    assertThatThrownBy(() -> onSharedThread(() -> REDIS.del("k"), waits))
        .hasCauseInstanceOf(RedisCommandTimeoutException.class);
    assertThat(waits).hasValue(1);
  }
}
