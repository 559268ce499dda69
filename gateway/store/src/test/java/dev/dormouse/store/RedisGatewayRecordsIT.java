package dev.dormouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dormouse.contract.RedisKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gateways' records on a real Redis, and what their callers get when Redis is gone. */
class RedisGatewayRecordsIT {

  private EmbeddedRedis server;
  private RedisConnector redis;
  private GatewayRecords records;

  @BeforeEach
  void start() throws Exception {
    server = EmbeddedRedis.start();
    redis = RedisConnector.connect(server.url());
    records = new RedisGatewayRecords(redis);
  }

  @AfterEach
  void stop() throws Exception {
    redis.close();
    server.close();
  }

  @Test
  void aReaperMarkIsTakenOnceAndAHeartbeatThatChangedIsNotForgotten() {
    records.beat("gw-1", 1_000);
    records.markReaped("gw-1", 2_000, Duration.ofMinutes(1));
    records.markReaped("gw-1", 3_000, Duration.ofMinutes(1));

    assertThat(records.takeReapedMark("gw-1")).contains(Instant.ofEpochMilli(2_000));
    assertThat(records.takeReapedMark("gw-1")).isEmpty();

    records.beat("gw-1", 4_000);
    records.forgetHeartbeat("gw-1", "1000");
    assertThat(records.heartbeats()).containsEntry("gw-1", "4000");
    records.forgetHeartbeat("gw-1", "4000");
    assertThat(records.heartbeats()).doesNotContainKey("gw-1");
  }

  @Test
  void connectionsAreAddedRemovedOnceAndForgottenWithTheGateway() throws Exception {
    records.addConnection("gw-1", "ns/lobby\tc1").toCompletableFuture().get(5, TimeUnit.SECONDS);
    records.addConnection("gw-1", "ns/lobby\tc2").toCompletableFuture().get(5, TimeUnit.SECONDS);
    records.beat("gw-1", 1_000);

    assertThat(records.hasConnection("gw-1", "ns/lobby\tc1")).isTrue();
    assertThat(
            records
                .removeConnection("gw-1", "ns/lobby\tc1")
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS))
        .isTrue();
    assertThat(
            records
                .removeConnection("gw-1", "ns/lobby\tc1")
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS))
        .isFalse();
    assertThat(records.connections("gw-1")).containsExactly("ns/lobby\tc2");

    redis.sync().xadd(RedisKeys.gatewayPublished("gw-1"), "c", "gw-1.1");
    records.forget("gw-1");
    assertThat(redis.sync().exists(RedisKeys.gatewayConnections("gw-1"))).isZero();
    assertThat(redis.sync().exists(RedisKeys.gatewayPublished("gw-1"))).isZero();
    assertThat(records.heartbeats()).isEmpty();
  }

  @Test
  void theReaperLockHasOneHolderUntilItIsReleased() {
    assertThat(records.holdReaperLock("gw-a", Duration.ofSeconds(10))).isTrue();
    assertThat(records.holdReaperLock("gw-b", Duration.ofSeconds(10))).isFalse();
    assertThat(records.holdReaperLock("gw-a", Duration.ofSeconds(10))).isTrue();

    records.releaseReaperLock("gw-b");
    assertThat(records.holdReaperLock("gw-b", Duration.ofSeconds(10))).isFalse();
    records.releaseReaperLock("gw-a");
    assertThat(records.holdReaperLock("gw-b", Duration.ofSeconds(10))).isTrue();
  }

  @Test
  void withRedisGoneCallersGetTheStoresOwnException() throws Exception {
    server.stop();
    await().until(() -> !redis.isConnected());

    assertThatThrownBy(() -> records.beat("gw-1", 1_000))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("gw-1");
    assertThatThrownBy(() -> records.heartbeats()).isInstanceOf(StoreUnavailableException.class);
    assertThatThrownBy(() -> records.holdReaperLock("gw-a", Duration.ofSeconds(1)))
        .isInstanceOf(StoreUnavailableException.class);
    assertThatThrownBy(
            () -> records.addConnection("gw-1", "ns/lobby\tc1").toCompletableFuture().join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(StoreUnavailableException.class);
  }
}
