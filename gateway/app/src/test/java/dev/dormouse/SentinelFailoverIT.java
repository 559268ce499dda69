package dev.dormouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dormouse.cluster.OwnerEndpoint;
import dev.dormouse.room.RoomKey;
import dev.dormouse.routing.OwnerRing;
import dev.dormouse.testing.ClusterFixture;
import dev.dormouse.testing.EmbeddedRedisSentinel;
import dev.dormouse.testing.EmbeddedRedisSentinelExtension;
import dev.dormouse.testing.FreePorts;
import dev.dormouse.testing.PacedLoop;
import dev.dormouse.testing.WsClient;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gateway and owners as processes over Redis behind Sentinel (one primary, one replica, three
 * Sentinels); the primary is killed with SIGKILL under client traffic in rooms of both owners, and
 * comes back as the new primary's replica as a restarted pod would. Leases wait for the replica
 * (DORMOUSE_LEASE_REPLICAS defaults to 1 with a Sentinel URL), so no lease is lost in the switch.
 */
@ExtendWith(EmbeddedRedisSentinelExtension.class)
class SentinelFailoverIT {

  static final int ROOMS_PER_OWNER = 2;

  /** 40 a second for 5 s: the talkers talk through the whole failover. */
  static final int MESSAGES = 200;

  /**
   * What a client may wait for an answer: the Sentinels' judgement (1 s down-after, then a vote and
   * the promotion, 2–3 s here), the killed server's return as a replica, which leases wait for, and
   * the rooms' reactivation under new leases. What the clients saw is printed.
   */
  static final Duration SERVED_AGAIN_WITHIN = Duration.ofSeconds(15);

  record Room(String path, WsClient quiet, WsClient talker) {}

  /** Asks, waits for the answer and asks again, until {@code until} completes; times each answer. */
  static final class Prober {

    private final PacedLoop loop;
    private volatile long longestNanos;
    private volatile AssertionError failure;

    Prober(WsClient client, CompletableFuture<?> until) {
      loop =
          PacedLoop.start(
              "prober",
              Duration.ofMillis(20),
              i -> {
                long sent = System.nanoTime();
                client.send("probe" + i);
                try {
                  assertThat(client.nextText(SERVED_AGAIN_WITHIN)).isEqualTo("echo:probe" + i);
                } catch (AssertionError e) {
                  failure = e;
                  return false;
                }
                longestNanos = Math.max(longestNanos, System.nanoTime() - sent);
                return !until.isDone();
              });
    }

    Duration longestWait() throws InterruptedException {
      assertThat(loop.awaitEnd(Duration.ofMinutes(1))).isTrue();
      if (failure != null) {
        throw failure;
      }
      return Duration.ofNanos(longestNanos);
    }
  }

  @Test
  void thePrimaryKilledUnderTrafficLosesNoMessageSilentlyNoAttachmentAndNoStoredValue(
      EmbeddedRedisSentinel sentinel) throws Exception {
    try (ClusterFixture cluster = ClusterFixture.startWithProbeRoomInProcessesOn(sentinel)) {
      int port1 = FreePorts.any();
      int port2 = FreePorts.any();
      List<OwnerEndpoint> owners =
          List.of(
              new OwnerEndpoint("o1", new InetSocketAddress("127.0.0.1", port1)),
              new OwnerEndpoint("o2", new InetSocketAddress("127.0.0.1", port2)));
      cluster.ownerProcess("o1", port1);
      cluster.ownerProcess("o2", port2);
      int port = FreePorts.any();
      cluster.gatewayProcess("gw", port, "o1=127.0.0.1:" + port1 + ",o2=127.0.0.1:" + port2);
      InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);

      List<Room> rooms = new ArrayList<>();
      int onO1 = 0;
      for (int i = 0; rooms.size() < 2 * ROOMS_PER_OWNER; i++) {
        boolean o1 =
            OwnerRing.pick(new RoomKey("default", "probe", "k" + i), owners)
                .orElseThrow()
                .ownerId()
                .equals("o1");
        if (o1 ? onO1 == ROOMS_PER_OWNER : rooms.size() - onO1 == ROOMS_PER_OWNER) {
          continue;
        }
        onO1 += o1 ? 1 : 0;
        String path = "/rooms/probe/k" + i;
        WsClient quiet =
            WsClient.connect(ClusterFixture.ws(address, path + "?name=quiet&tags=calm"));
        WsClient talker = WsClient.connect(ClusterFixture.ws(address, path + "?name=talker"));
        quiet.send("store:before=kept");
        assertThat(quiet.nextText()).isEqualTo("stored");
        rooms.add(new Room(path, quiet, talker));
      }
      List<PacedLoop> talking = new CopyOnWriteArrayList<>();
      rooms.forEach(room -> ClusterCrashIT.talker(room.talker(), talking, MESSAGES));
      for (Room room : rooms) {
        assertThat(room.talker().nextText()).isEqualTo("echo:m0");
      }

      long killedAt = System.nanoTime();
      EmbeddedRedisSentinel.Node killed = sentinel.killPrimary();
      CompletableFuture<long[]> failover =
          CompletableFuture.supplyAsync(
              () -> {
                sentinel.awaitPromotion(Duration.ofSeconds(20));
                long promotedAt = System.nanoTime();
                try {
                  sentinel.rejoin(killed);
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
                return new long[] {promotedAt, System.nanoTime()};
              });
      // Each quiet client asks and waits for the answer, again and again, until the killed server
      // is back: its longest wait is the stall its room's clients saw.
      // And on for a lease TTL after, while the rooms take new leases.
      CompletableFuture<?> observed =
          failover.thenRunAsync(
              () -> {},
              CompletableFuture.delayedExecutor(
                  ClusterFixture.LEASE_TTL.toMillis(), TimeUnit.MILLISECONDS));
      List<Prober> probers =
          rooms.stream().map(room -> new Prober(room.quiet(), observed)).toList();
      Duration longestWait = Duration.ZERO;
      for (Prober prober : probers) {
        Duration wait = prober.longestWait();
        longestWait = wait.compareTo(longestWait) > 0 ? wait : longestWait;
      }
      long[] times = failover.get(30, TimeUnit.SECONDS);

      int talkersTold = 0;
      for (PacedLoop loop : talking) {
        assertThat(loop.awaitEnd(Duration.ofMinutes(1))).isTrue();
      }
      for (Room room : rooms) {
        List<Integer> echoed = ClusterCrashIT.echoesUntilClosedOrComplete(room.talker(), MESSAGES);
        assertThat(echoed)
            .as("%s: no message twice, none out of order", room.path())
            .isSorted()
            .doesNotHaveDuplicates();
        if (!echoed.equals(IntStream.range(1, MESSAGES).boxed().toList())) {
          assertThat(room.talker().awaitClose().code())
              .as("a sender missing echoes %s is told", echoed)
              .isEqualTo(1013);
          talkersTold++;
        }
        room.quiet().send("load:before");
        assertThat(room.quiet().nextText()).as("stored before the kill").isEqualTo("loaded kept");
        room.quiet().send("who");
        String who = room.quiet().nextText();
        assertThat(who).as("attachments and tags survive").startsWith("who quiet[calm]");
        if (!room.talker().isClosed()) {
          assertThat(who).contains("talker[]");
        }
        assertThat(room.quiet().isClosed()).isFalse();
      }
      System.out.printf(
          "sentinel failover under traffic: promoted %d ms after the kill, the Sentinels settled"
              + " with the killed server back as replica at %d ms; the longest a client waited for an answer: %d ms; %d of %d talkers"
              + " closed with 1013%n",
          (times[0] - killedAt) / 1_000_000,
          (times[1] - killedAt) / 1_000_000,
          longestWait.toMillis(),
          talkersTold,
          rooms.size());
    }
  }
}
