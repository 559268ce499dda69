package dev.dormouse.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dormouse.crd.v1alpha1.Limits;
import dev.dormouse.room.RoomKey;
import dev.dormouse.room.Storage;
import dev.dormouse.store.Lease;
import dev.dormouse.store.LeaseStore;
import dev.dormouse.store.RedisConnector;
import dev.dormouse.store.RoomStores;
import dev.dormouse.store.StaleLeaseException;
import dev.dormouse.store.StoreUnavailableException;
import dev.dormouse.testing.EmbeddedRedisSentinel;
import dev.dormouse.testing.EmbeddedRedisSentinelExtension;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Leases across a Sentinel failover. Replication is asynchronous: a grant the old primary acknowledged
 * but never passed on is gone once its replica is promoted. The tests make that happen for sure by
 * freezing the replica (SIGSTOP) while the lease is granted, then killing the primary.
 */
@ExtendWith(EmbeddedRedisSentinelExtension.class)
class LeaseFailoverIT {

  /** Long enough that no lease here expires by itself during a failover of a few seconds. */
  static final Duration TTL = Duration.ofSeconds(20);

  static final Duration FAILOVER_WITHIN = Duration.ofSeconds(20);

  final EmbeddedRedisSentinel sentinel;
  RedisConnector redisA;
  RedisConnector redisB;

  LeaseFailoverIT(EmbeddedRedisSentinel sentinel) {
    this.sentinel = sentinel;
  }

  @BeforeEach
  void connect() {
    sentinel.flushAll();
  }

  /** Each test fails over once; the killed server comes back as the replica for the next. */
  @AfterEach
  void restore() throws IOException {
    redisA.close();
    redisB.close();
    sentinel.heal();
  }

  void owners(int leaseReplicas) {
    redisA = RedisConnector.connect(sentinel.url(), leaseReplicas);
    redisB = RedisConnector.connect(sentinel.url(), leaseReplicas);
  }

  static LeaseStore leases(RedisConnector redis) {
    return RoomStores.over(redis, TTL).leases();
  }

  @Test
  void aGrantTheReplicaHasNotReceivedIsNotGivenSoTheFailoverHandsTheKeyToOneOwnerOnly()
      throws IOException {
    owners(1);
    RoomKey key = new RoomKey("default", "probe", "unreplicated");

    sentinel.detachReplica();
    assertThatThrownBy(() -> leases(redisA).acquire(key, "owner-a"))
        .as("granted by the primary alone, so not granted")
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("replica");
    sentinel.rejoin(failOverWithTheReplicaBehind());

    LeaseStore.Grant toB = afterTheSwitch(() -> leases(redisB).acquire(key, "owner-b"));
    assertThat(toB.granted()).as("the key was never a's").isTrue();
    LeaseStore.Grant toA = afterTheSwitch(() -> leases(redisA).acquire(key, "owner-a"));
    assertThat(toA.granted()).isFalse();
    assertThat(toA.holder()).isEqualTo("owner-b");
  }

  /**
   * The promoted replica has the lease. Until the killed server is back as its replica, nothing can
   * acknowledge a renewal: the owner keeps the key only as long as its last renewal allows.
   */
  @Test
  void aGrantTheReplicaAcknowledgedOutlivesThePrimary() throws IOException {
    owners(1);
    RoomKey key = new RoomKey("default", "probe", "replicated");
    Lease lease = leases(redisA).acquire(key, "owner-a").lease();
    assertThat(lease).isNotNull();

    EmbeddedRedisSentinel.Node killed = sentinel.killPrimary();
    sentinel.awaitPromotion(FAILOVER_WITHIN);

    LeaseStore.Grant toB = afterTheSwitch(() -> leases(redisB).acquire(key, "owner-b"));
    assertThat(toB.granted()).isFalse();
    assertThat(toB.holder()).isEqualTo("owner-a");
    // Once a's connection has found the new primary:
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThatThrownBy(() -> leases(redisA).renew(lease))
                    .as("no replica left to acknowledge it")
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("acknowledged by 0 of the 1 replica"));
    sentinel.rejoin(killed);
    assertThat(leases(redisA).renew(lease)).isTrue();
  }

  /**
   * {@code DORMOUSE_LEASE_REPLICAS=0}: the lost grant is given again, under the same epoch, and for a
   * while both owners believe they hold the key. The fencing token still names the owner, so the first
   * owner's writes are refused and its next renewal tells it the lease is gone.
   */
  @Test
  void withoutWaitingALostGrantIsGivenTwiceAndOnlyTheFencingOfWritesKeepsTheFirstOwnerOut() {
    owners(0);
    RoomKey key = new RoomKey("default", "probe", "lost");

    sentinel.detachReplica();
    Lease first = leases(redisA).acquire(key, "owner-a").lease();
    assertThat(first).as("the primary alone granted it").isNotNull();
    failOverWithTheReplicaBehind();

    Lease second = afterTheSwitch(() -> leases(redisB).acquire(key, "owner-b")).lease();
    assertThat(second).as("the grant to a was lost with the primary").isNotNull();
    assertThat(second.epoch()).as("its epoch is handed out again").isEqualTo(first.epoch());
    Storage storageA =
        RoomStores.over(redisA, TTL).storage(first, Limits.DEFAULT_MAX_STORAGE_VALUE_BYTES);
    assertThatThrownBy(() -> afterTheSwitch(() -> put(storageA)))
        .isInstanceOf(StaleLeaseException.class);
    // Each of a's connections (storage values, lease writes) finds the new primary on its own.
    assertThat(afterTheSwitch(() -> leases(redisA).renew(first)))
        .as("a learns on its next renewal")
        .isFalse();
    assertThat(
            RoomStores.over(redisB, TTL)
                .storage(second, Limits.DEFAULT_MAX_STORAGE_VALUE_BYTES)
                .get("by"))
        .isEmpty();
  }

  private static boolean put(Storage storage) {
    storage.put("by", "owner-a");
    return true;
  }

  /**
   * Kills the primary of the detached replica, lets the replica go on and waits for its promotion;
   * returns the killed server.
   */
  private EmbeddedRedisSentinel.Node failOverWithTheReplicaBehind() {
    EmbeddedRedisSentinel.Node replica = sentinel.replica();
    EmbeddedRedisSentinel.Node killed = sentinel.killPrimary();
    replica.thaw();
    sentinel.awaitPromotion(FAILOVER_WITHIN);
    return killed;
  }

  /** A store call, retried while the connector still finds its way to the new primary. */
  private static <T> T afterTheSwitch(Supplier<T> call) {
    Object[] result = new Object[1];
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptionsInstanceOf(StoreUnavailableException.class)
        .until(
            () -> {
              result[0] = call.get();
              return true;
            });
    @SuppressWarnings("unchecked")
    T value = (T) result[0];
    return value;
  }
}
