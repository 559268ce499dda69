package dev.dormouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.testing.HostedCluster;
import dev.dormouse.testing.NetworkHosts;
import dev.dormouse.testing.RedisProcess;
import dev.dormouse.testing.RoomUnderTraffic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every link of a {@link HostedCluster} slow and lossy — 100 ms each way on every connection to
 * Redis, an owner or a gateway, and 1% of the packets every host receives dropped — under client
 * traffic in a room on each owner: every message is answered once and in order and no client is
 * closed; the time from send to answer is recorded.
 *
 * <p>A minute of it, as its issue asks: each talker sends 20 messages a second, so the four give
 * about 4,800 samples, enough for a p99 that a few TCP retransmissions (about 10 packets a second per
 * link are lost) show in.
 */
@Tag(HostedCluster.TAG)
class SlowNetworkIT {

  static final Duration DELAY = Duration.ofMillis(100);
  static final double LOSS = 0.01;
  static final Duration TRAFFIC = Duration.ofMinutes(1);

  HostedCluster cluster;

  @BeforeAll
  static void needsHosts() {
    HostedCluster.assumeHostsCanBeMade();
  }

  @BeforeEach
  void start() throws Exception {
    cluster = HostedCluster.start(SlowNetworkIT::slowEveryLink);
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  /** Before anything connects: a relay holds only the connections opened after it is in place. */
  static void slowEveryLink(NetworkHosts network) throws Exception {
    network.delay(network.host("redis"), RedisProcess.PORT, DELAY);
    for (String owner : HostedCluster.OWNERS) {
      network.delay(network.host(owner), HostedCluster.LINK_PORT, DELAY);
    }
    for (String gateway : HostedCluster.GATEWAYS) {
      network.delay(network.host(gateway), HostedCluster.CLIENT_PORT, DELAY);
    }
  }

  @Test
  void orderHoldsAndNothingIsLostOnASlowLossyNetwork() throws Exception {
    RoomUnderTraffic onO1 = RoomUnderTraffic.start(cluster, cluster.instanceOn("o1", "a"));
    RoomUnderTraffic onO2 = RoomUnderTraffic.start(cluster, cluster.instanceOn("o2", "b"));
    cluster.network().lose(LOSS);
    await().pollDelay(TRAFFIC).atMost(TRAFFIC.plusSeconds(1)).until(() -> true);
    cluster.network().stopLoss();

    List<Long> latencies = new ArrayList<>();
    for (RoomUnderTraffic room : List.of(onO1, onO2)) {
      room.stop();
      room.assertEveryMessageAnsweredOnceInOrderOrItsSenderTold();
      room.assertOneLiveInstanceAtATime(Duration.ofSeconds(1));
      room.assertAttachmentsIntact();
      for (String gateway : HostedCluster.GATEWAYS) {
        room.assertOpen(gateway);
      }
      assertThat(room.reconnects()).isZero();
      latencies.addAll(room.latenciesMillis());
    }
    latencies.sort(null);
    System.out.printf(
        "netns 100 ms each way, 1%% loss, %d s: %d answers, p50 %d ms, p99 %d ms, max %d ms%n",
        TRAFFIC.toSeconds(),
        latencies.size(),
        percentile(latencies, 50),
        percentile(latencies, 99),
        latencies.get(latencies.size() - 1));
    // The delay is in every answer: two round trips (client–gateway, gateway–owner) of two delays.
    assertThat(latencies.get(0)).isGreaterThanOrEqualTo(4 * DELAY.toMillis());
  }

  /** Nearest rank. */
  static long percentile(List<Long> sorted, int p) {
    return sorted.get(Math.max(0, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }
}
