package dev.dormouse.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dormouse.room.RoomKey;
import dev.dormouse.store.LeaseStore;
import dev.dormouse.store.RedisConnector;
import dev.dormouse.store.RoomStores;
import dev.dormouse.store.StoreUnavailableException;
import dev.dormouse.testing.EmbeddedRedisCluster;
import dev.dormouse.testing.EmbeddedRedisClusterExtension;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code DORMOUSE_LEASE_REPLICAS} under Cluster, where each lease's WAIT goes to the primary of its
 * slot. The suite's Cluster has no replicas, so a lease that must wait for one is never granted, on
 * whichever primary its key lives; a refusal, which writes nothing, needs none.
 */
@ExtendWith(EmbeddedRedisClusterExtension.class)
class LeaseReplicasOnRedisClusterIT {

  @Test
  void aLeaseThatMustReachAReplicaIsNotGrantedByAPrimaryWithoutOne(EmbeddedRedisCluster cluster) {
    try (RedisConnector waiting = RedisConnector.connect(cluster.url(), 1);
        RedisConnector plain = RedisConnector.connect(cluster.url(), 0)) {
      LeaseStore waitingLeases = RoomStores.over(waiting, Duration.ofSeconds(10)).leases();
      LeaseStore plainLeases = RoomStores.over(plain, Duration.ofSeconds(10)).leases();
      // Enough keys to land on every primary.
      IntStream.range(0, 12)
          .mapToObj(i -> new RoomKey("default", "probe", "slot-" + i))
          .forEach(
              key -> {
                assertThatThrownBy(() -> waitingLeases.acquire(key, "owner-a"))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("acknowledged by 0 of the 1 replica");
                assertThat(plainLeases.acquire(key, "owner-b").holder())
                    .as("the primary wrote it, though a does not count on it")
                    .isEqualTo("owner-a");
                assertThat(waitingLeases.acquire(key, "owner-c").holder())
                    .as("a refusal wrote nothing and waits for no replica")
                    .isEqualTo("owner-a");
              });
    }
  }
}
