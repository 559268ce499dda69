package dev.dormouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Redis's replies while its cluster changes (a slot's keys split by resharding, a slot without a
 * primary, a node loading its data) are asked through; anything else fails at once; every failure
 * leaves as the store's own exception naming what was done and what Redis said.
 */
class RedisCallsTest {

  private static final String TRYAGAIN = "TRYAGAIN Multiple keys request during rehashing of slot";

  /** A command that fails with {@code failure} its first {@code failures} times, then answers. */
  private static Supplier<String> failing(
      int failures, RedisException failure, AtomicInteger runs) {
    return () -> {
      if (runs.incrementAndGet() <= failures) {
        throw failure;
      }
      return "value";
    };
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        TRYAGAIN,
        "CLUSTERDOWN Hash slot not served",
        "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.",
        "LOADING Redis is loading the dataset in memory"
      })
  void aReplyOfAChangingClusterIsAskedAgainUntilRedisAnswers(String reply) {
    AtomicInteger runs = new AtomicInteger();

    String answer =
        RedisCalls.call("writing k", failing(3, new RedisCommandExecutionException(reply), runs));

    assertThat(answer).isEqualTo("value");
    assertThat(runs).hasValue(4);
  }

  @Test
  void aReplyThatLastsPastThePatienceIsTheStoreUnavailableNamingIt() {
    AtomicInteger runs = new AtomicInteger();
    RedisCommandExecutionException reply = new RedisCommandExecutionException(TRYAGAIN);

    assertThatThrownBy(
            () ->
                RedisCalls.call(
                    "writing k under lease t",
                    failing(Integer.MAX_VALUE, reply, runs),
                    Duration.ofMillis(50)))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessage("writing k under lease t: " + TRYAGAIN + " (still so after 50 ms)")
        .hasCause(reply);
    assertThat(runs.get()).as("asked more than once").isGreaterThan(1);
  }

  @Test
  void anInterruptedCallStopsAskingAgain() {
    AtomicInteger runs = new AtomicInteger();
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(
              () ->
                  RedisCalls.call(
                      "writing k",
                      failing(
                          Integer.MAX_VALUE, new RedisCommandExecutionException(TRYAGAIN), runs)))
          .isInstanceOf(StoreUnavailableException.class);
      assertThat(runs).hasValue(1);
    } finally {
      Thread.interrupted();
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "WRONGTYPE Operation against a key holding the wrong kind of value",
        "ERR Error running script",
        "TRYAGAINX not a reply of a changing cluster"
      })
  void anyOtherReplyFailsAtOnce(String reply) {
    AtomicInteger runs = new AtomicInteger();

    assertThatThrownBy(
            () ->
                RedisCalls.call(
                    "writing k", failing(1, new RedisCommandExecutionException(reply), runs)))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessage("writing k: " + reply);
    assertThat(runs).hasValue(1);
  }

  @Test
  void anUnreachableRedisFailsAtOnce() {
    AtomicInteger runs = new AtomicInteger();

    assertThatThrownBy(
            () ->
                RedisCalls.call(
                    "writing k",
                    failing(1, new RedisConnectionException("Connection closed"), runs)))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessage("writing k: Connection closed");
    assertThat(runs).hasValue(1);
  }

  @Test
  void anAsynchronousCommandFailsWithTheStoreUnavailableNamingTheReply() {
    RedisCommandExecutionException reply = new RedisCommandExecutionException(TRYAGAIN);

    assertThatThrownBy(
            () ->
                RedisCalls.guarded(
                        "renewing the lease of k", CompletableFuture.<String>failedFuture(reply))
                    .toCompletableFuture()
                    .join())
        .hasCauseInstanceOf(StoreUnavailableException.class)
        .cause()
        .hasMessage("renewing the lease of k: " + TRYAGAIN)
        .hasCause(reply);
  }
}
