package dev.dormouse.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.store.RedisConnector;
import io.lettuce.core.RedisException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Sentinel setup fails over as production's does, and Dormouse's connector follows it. */
@ExtendWith(EmbeddedRedisSentinelExtension.class)
class EmbeddedRedisSentinelExtensionTest {

  @Test
  void theConnectorFollowsTheReplicaThatTheSentinelsPromoteWhenThePrimaryIsKilled(
      EmbeddedRedisSentinel sentinel, RedisConnector redis) throws Exception {
    EmbeddedRedisSentinel.Node first = sentinel.primary();
    redis.sync().set("before", "kept");
    List<String> heard = new CopyOnWriteArrayList<>();
    redis.subscribe("news", heard::add);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> sentinel.replica().call(r -> r.get("before")) != null);

    long killedAt = System.nanoTime();
    EmbeddedRedisSentinel.Node killed = sentinel.killPrimary();
    assertThat(killed).isSameAs(first);
    EmbeddedRedisSentinel.Node promoted = sentinel.awaitPromotion(Duration.ofSeconds(20));
    long promotedAt = System.nanoTime();
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(20))
        .ignoreExceptionsInstanceOf(RedisException.class)
        .until(() -> "OK".equals(redis.sync().set("after", "written")));
    long writableAt = System.nanoTime();
    System.out.printf(
        "sentinel failover: promoted %d ms after the kill, the connector wrote %d ms after it%n",
        (promotedAt - killedAt) / 1_000_000, (writableAt - killedAt) / 1_000_000);

    assertThat(promoted).isNotSameAs(first);
    String onPromoted = promoted.call(r -> r.get("after"));
    assertThat(onPromoted).as("written to the new primary").isEqualTo("written");
    assertThat(redis.sync().get("before")).as("replicated before the kill").isEqualTo("kept");
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              redis.publish("news", "after the failover");
              assertThat(heard).as("subscribed again on the new primary").isNotEmpty();
            });

    sentinel.rejoin(killed);
    assertThat(sentinel.replica().port()).isEqualTo(first.port());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> "written".equals(sentinel.replica().call(r -> r.get("after"))));
  }
}
