package dev.dormouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.admin.Metrics;
import dev.dormouse.contract.RedisKeys;
import dev.dormouse.room.RoomKey;
import dev.dormouse.testing.EmbeddedRedisCluster;
import dev.dormouse.testing.EmbeddedRedisCluster.Node;
import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.WsClient;
import io.lettuce.core.MigrateArgs;
import io.lettuce.core.cluster.SlotHash;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The slot of a busy room moves to another primary (CLUSTER SETSLOT IMPORTING/MIGRATING, MIGRATE of
 * its keys in one call or in two, SETSLOT NODE), as resharding does, while its client sends: every
 * message is answered in order, every write kept, and the room stays the one live instance it was.
 */
class SlotMigrationOnRedisClusterIT {

  private static final List<String> ERRORS =
      List.of("stale-lease", "lease-lost", "storage", "activation", "handler");

  private static final Pattern TRYAGAINS = Pattern.compile("errorstat_TRYAGAIN:count=(\\d+)");

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
    migratesUnderTraffic("busy", SlotMigrationOnRedisClusterIT::moveEveryKey);
  }

  /**
   * Resharding moves a slot's keys in batches (redis-cli's --cluster-pipeline), so one instance's
   * keys can be split between the nodes for a moment: a fenced write, a script over the lease and
   * the written key, is then answered TRYAGAIN, which Lettuce does not follow.
   */
  @Test
  void aSlotWhoseKeysMoveInTwoMigrateCallsKeepsEveryWriteWhileTheyAreSplit() {
    migratesUnderTraffic("split", SlotMigrationOnRedisClusterIT::moveTheLeaseLast);
  }

  /** How the keys of the migrating slot get from the source to the target. */
  private interface KeyMove {
    void move(Node source, Node target, int slot, String lease);
  }

  private static void migratesUnderTraffic(String instance, KeyMove keyMove) {
    RoomKey key = new RoomKey("default", "probe", instance);
    String lease = RedisKeys.lease(key);
    Metrics metrics = dormouse.run().metrics();
    double revivalsBefore = metrics.revivals();
    Map<String, Double> errorsBefore = new HashMap<>();
    ERRORS.forEach(kind -> errorsBefore.put(kind, metrics.errors(kind)));
    WsClient ann = WsClient.connect(dormouse.ws("/rooms/probe/" + instance + "?name=ann"));
    ann.send("store:n=-1");
    assertThat(ann.nextText()).isEqualTo("stored");
    EmbeddedRedisCluster cluster = dormouse.redisCluster();
    Node source = cluster.nodeOf(lease);
    Node target = cluster.nodes().stream().filter(n -> n != source).findFirst().orElseThrow();
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
                () -> migrate(cluster, lease, source, target, roundTrips, keyMove))
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
    assertThat(metrics.revivals()).as("never activated again").isEqualTo(revivalsBefore);
    for (String kind : ERRORS) {
      assertThat(metrics.errors(kind)).as(kind).isEqualTo(errorsBefore.get(kind));
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
      String lease,
      Node source,
      Node target,
      AtomicInteger roundTrips,
      KeyMove keyMove) {
    int slot = SlotHash.getSlot(lease);
    String sourceId = source.call(redis -> redis.clusterMyId());
    String targetId = target.call(redis -> redis.clusterMyId());
    target.call(redis -> redis.clusterSetSlotImporting(slot, sourceId));
    source.call(redis -> redis.clusterSetSlotMigrating(slot, targetId));
    letTheRoomWork(roundTrips);
    keyMove.move(source, target, slot, lease);
    letTheRoomWork(roundTrips);
    // The target first, so that it never redirects back to the source.
    target.call(redis -> redis.clusterSetSlotNode(slot, targetId));
    for (EmbeddedRedisCluster.Node other : cluster.nodes()) {
      if (other != target) {
        other.call(redis -> redis.clusterSetSlotNode(slot, targetId));
      }
    }
  }

  /** Every key of the slot, in as few MIGRATE calls as its batches take. */
  private static void moveEveryKey(Node source, Node target, int slot, String lease) {
    moveKeys(source, target, slot, k -> true);
  }

  /**
   * Every key but the lease in one MIGRATE call, the lease in another once the room's writes have
   * met the split at least three times: the source, missing the written key, redirects a fenced
   * script with ASK, and the target, missing the lease, answers it TRYAGAIN.
   */
  private static void moveTheLeaseLast(Node source, Node target, int slot, String lease) {
    long tryAgainsBefore = tryAgains(target);
    moveKeys(source, target, slot, k -> !k.equals(lease));
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(5))
        .until(() -> tryAgains(target) >= tryAgainsBefore + 3);
    moveKeys(source, target, slot, k -> true);
  }

  private static void moveKeys(Node source, Node target, int slot, Predicate<String> which) {
    List<String> keys;
    while (!(keys =
            source.call(redis -> redis.clusterGetKeysInSlot(slot, 100)).stream()
                .filter(which)
                .toList())
        .isEmpty()) {
      List<String> batch = keys;
      source.call(
          redis ->
              redis.migrate("127.0.0.1", target.port(), 0, 5000, MigrateArgs.Builder.keys(batch)));
    }
  }

  /** How many commands {@code node} has answered TRYAGAIN (Redis's INFO errorstats). */
  private static long tryAgains(Node node) {
    Matcher count = TRYAGAINS.matcher(node.call(redis -> redis.info("errorstats")));
    return count.find() ? Long.parseLong(count.group(1)) : 0;
  }
}
