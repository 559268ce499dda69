package dev.dormouse.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.store.SharedThread;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The room threads: one that waits on Redis is stood in for, so the other rooms' work runs. */
class HandlerPoolTest {

  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    timers.shutdownNow();
  }

  /** Runs on the pool a call that waits, the way a Redis call does, until {@code answer} opens. */
  private static CompletableFuture<String> waitOnPool(HandlerPool pool, CountDownLatch answer) {
    CompletableFuture<String> result = new CompletableFuture<>();
    pool.execute(
        () ->
            result.complete(
                ((SharedThread) Thread.currentThread())
                    .waitFor(
                        () -> {
                          try {
                            answer.await();
                          } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                          }
                          return "answer";
                        })));
    return result;
  }

  private static CompletableFuture<Void> runOnPool(HandlerPool pool) {
    CompletableFuture<Void> ran = new CompletableFuture<>();
    pool.execute(() -> ran.complete(null));
    return ran;
  }

  @Test
  void anotherRoomRunsWhileTheOnlyThreadWaits() throws Exception {
    HandlerPool pool = new HandlerPool(1, timers);
    CountDownLatch answer = new CountDownLatch(1);
    CompletableFuture<String> waiting = waitOnPool(pool, answer);

    CompletableFuture<Void> other = runOnPool(pool);

    other.get(5, TimeUnit.SECONDS);
    assertThat(waiting).isNotDone();
    assertThat(pool.waitingReplaced()).isEqualTo(1);
    answer.countDown();
    assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo("answer");
    assertThat(pool.waitingReplaced()).as("the stand-in goes once the wait is over").isZero();
  }

  @Test
  void pastTheLimitOfStandInsAWaitHoldsItsThread() throws Exception {
    HandlerPool pool = new HandlerPool(1, 1, timers);
    CountDownLatch answer = new CountDownLatch(1);
    CompletableFuture<String> first = waitOnPool(pool, answer);
    await().atMost(Duration.ofSeconds(5)).until(() -> pool.waitingReplaced() == 1);
    CompletableFuture<String> second = waitOnPool(pool, answer);

    CompletableFuture<Void> other = runOnPool(pool);

    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(5))
        .until(() -> !other.isDone());
    assertThat(pool.waitingReplaced()).isEqualTo(1);
    answer.countDown();
    other.get(5, TimeUnit.SECONDS);
    assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("answer");
    assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo("answer");
    assertThat(pool.waitingReplaced()).isZero();
  }
}
