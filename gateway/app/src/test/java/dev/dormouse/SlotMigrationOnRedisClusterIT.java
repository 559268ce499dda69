package dev.dormouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.contract.RedisKeys;
import dev.dormouse.room.RoomKey;
import dev.dormouse.testing.EmbeddedRedisCluster;
import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.WsClient;
import io.lettuce.core.MigrateArgs;
import io.lettuce.core.cluster.SlotHash;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The slot of a busy room moves to another primary (CLUSTER SETSLOT IMPORTING/MIGRATING, MIGRATE of
 * its keys, SETSLOT NODE), as resharding does, while its client sends: every message is answered in
 * order, every write kept, and the room stays the one live instance it was.
 */
class SlotMigrationOnRedisClusterIT {

  static LocalRunFixture dormouse;

  @BeforeAll
  static void start() throws IOException {
    dormouse = LocalRunFixture.startOnRedisCluster(LocalRunFixture.PROBE_ROOM_IN_MEMORY);
  }

  @AfterAll
  static void stop() throws Exception {
    dormouse.close();
  }

  @Test
  void aBusyRoomsSlotMovesUnderTrafficWithNothingLostAndNoSecondActivation() {
    RoomKey key = new RoomKey("default", "probe", "busy");
    String lease = RedisKeys.lease(key);
    WsClient ann = WsClient.connect(dormouse.ws("/rooms/probe/busy?name=ann"));
    ann.send("store:n=-1");
    assertThat(ann.nextText()).isEqualTo("stored");
    EmbeddedRedisCluster cluster = dormouse.redisCluster();
    EmbeddedRedisCluster.Node source = cluster.nodeOf(lease);
    EmbeddedRedisCluster.Node target =
        cluster.nodes().stream().filter(n -> n != source).findFirst().orElseThrow();
    String leaseBefore = source.call(redis -> redis.get(lease));

    CompletableFuture<Void> migration = new CompletableFuture<>();
    List<String> expected = new ArrayList<>();
    List<String> received = new ArrayList<>();
    AtomicInteger roundTrips = new AtomicInteger();
    int messages = 0;
    // Request and answer, so the room is busy all through the migration, however long it takes.
    for (; messages < 100 || !migration.isDone(); messages++) {
      if (messages == 20) {
        CompletableFuture.runAsync(
                () -> migrate(cluster, SlotHash.getSlot(lease), source, target, roundTrips))
            .whenComplete((done, failure) -> complete(migration, failure));
      }
      ann.send("store:n=" + messages);
      received.add(ann.nextText());
      ann.send("m" + messages);
      received.add(ann.nextText());
      expected.add("stored");
      expected.add("echo:m" + messages);
      roundTrips.incrementAndGet();
    }
    migration.join();

    assertThat(received).as("every message answered once, in order").isEqualTo(expected);
    assertThat(ann.isClosed()).isFalse();
    ann.send("load:n");
    assertThat(ann.nextText()).isEqualTo("loaded " + (messages - 1));
    assertThat(cluster.nodeOf(lease)).as("the slot moved").isSameAs(target);
    String leaseAfter = target.call(redis -> redis.get(lease));
    assertThat(leaseAfter).as("the same lease, never taken again").isEqualTo(leaseBefore);
    assertThat(dormouse.run().metrics().revivals()).as("never activated again").isZero();
    for (String kind : List.of("stale-lease", "lease-lost", "storage", "activation", "handler")) {
      assertThat(dormouse.run().metrics().errors(kind)).as(kind).isZero();
    }
  }

  private static void letTheRoomWork(AtomicInteger roundTrips) {
    int now = roundTrips.get();
    await().atMost(Duration.ofSeconds(20)).until(() -> roundTrips.get() >= now + 20);
  }

  private static void complete(CompletableFuture<Void> migration, Throwable failure) {
    if (failure == null) {
      migration.complete(null);
    } else {
      migration.completeExceptionally(failure);
    }
  }

  /**
   * What redis-cli --cluster reshard does for one slot, letting the room work at each step: with the
   * slot migrating and its keys still on the source, and with them on the target before the
   * cluster says so (every command then an ASK redirection).
   */
  private static void migrate(
      EmbeddedRedisCluster cluster,
      int slot,
      EmbeddedRedisCluster.Node source,
      EmbeddedRedisCluster.Node target,
      AtomicInteger roundTrips) {
    String sourceId = source.call(redis -> redis.clusterMyId());
    String targetId = target.call(redis -> redis.clusterMyId());
    target.call(redis -> redis.clusterSetSlotImporting(slot, sourceId));
    source.call(redis -> redis.clusterSetSlotMigrating(slot, targetId));
    letTheRoomWork(roundTrips);
    List<String> keys;
    while (!(keys = source.call(redis -> redis.clusterGetKeysInSlot(slot, 10))).isEmpty()) {
      List<String> batch = keys;
      source.call(
          redis ->
              redis.migrate("127.0.0.1", target.port(), 0, 5000, MigrateArgs.Builder.keys(batch)));
    }
    letTheRoomWork(roundTrips);
    // The target first, so that it never redirects back to the source.
    target.call(redis -> redis.clusterSetSlotNode(slot, targetId));
    for (EmbeddedRedisCluster.Node other : cluster.nodes()) {
      if (other != target) {
        other.call(redis -> redis.clusterSetSlotNode(slot, targetId));
      }
    }
  }
}
