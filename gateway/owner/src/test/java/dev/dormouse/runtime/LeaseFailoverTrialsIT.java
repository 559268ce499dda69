package dev.dormouse.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.room.RoomKey;
import dev.dormouse.store.LeaseStore;
import dev.dormouse.store.RedisConnector;
import dev.dormouse.store.RoomStores;
import dev.dormouse.store.StoreUnavailableException;
import dev.dormouse.testing.EmbeddedRedisSentinel;
import dev.dormouse.testing.EmbeddedRedisSentinelExtension;
import java.time.Duration;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A measurement, not part of the suite (each trial is a failover of a few seconds): {@code
 * -Ddormouse.trials=N} grants a lease and kills the primary at once, N times, and counts the grants
 * the promoted replica no longer has, with and without waiting for the replica. Nothing is frozen
 * here: this is the race as it happens, with a healthy replica on loopback.
 */
@ExtendWith(EmbeddedRedisSentinelExtension.class)
@EnabledIfSystemProperty(named = "dormouse.trials", matches = "\\d+")
class LeaseFailoverTrialsIT {

  @ParameterizedTest
  @ValueSource(ints = {0, 1})
  void grantsLostWhenThePrimaryIsKilledRightAfterGrantingThem(
      int leaseReplicas, EmbeddedRedisSentinel sentinel) throws Exception {
    int trials = Integer.getInteger("dormouse.trials");
    int lost = 0;
    for (int i = 0; i < trials; i++) {
      RoomKey key = new RoomKey("default", "probe", "trial-" + leaseReplicas + "-" + i);
      try (RedisConnector a = RedisConnector.connect(sentinel.url(), leaseReplicas);
          RedisConnector b = RedisConnector.connect(sentinel.url(), 0)) {
        assertThat(leases(a).acquire(key, "owner-a").granted()).isTrue();
        EmbeddedRedisSentinel.Node killed = sentinel.killPrimary();
        sentinel.awaitPromotion(Duration.ofSeconds(20));
        LeaseStore.Grant toB = acquireOnceConnected(leases(b), key);
        lost += toB.granted() ? 1 : 0;
        sentinel.rejoin(killed);
      }
    }
    System.out.printf(
        "lease replicas %d: %d of %d grants lost in a failover right after them%n",
        leaseReplicas, lost, trials);
    if (leaseReplicas > 0) {
      assertThat(lost).isZero();
    }
  }

  private static LeaseStore leases(RedisConnector redis) {
    return RoomStores.over(redis, Duration.ofSeconds(30)).leases();
  }

  private static LeaseStore.Grant acquireOnceConnected(LeaseStore leases, RoomKey key) {
    LeaseStore.Grant[] grant = new LeaseStore.Grant[1];
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptionsInstanceOf(StoreUnavailableException.class)
        .until(() -> (grant[0] = leases.acquire(key, "owner-b")) != null);
    return grant[0];
  }
}
