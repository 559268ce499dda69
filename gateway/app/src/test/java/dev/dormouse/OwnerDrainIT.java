package dev.dormouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dormouse.admin.Metrics;
import dev.dormouse.cluster.OwnerEndpoint;
import dev.dormouse.cluster.StaticOwnerDirectory;
import dev.dormouse.node.GatewayNode;
import dev.dormouse.node.OwnerNode;
import dev.dormouse.room.RoomKey;
import dev.dormouse.routing.OwnerRing;
import dev.dormouse.testing.ClusterFixture;
import dev.dormouse.testing.FreePorts;
import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.ManagedProcess;
import dev.dormouse.testing.PacedLoop;
import dev.dormouse.testing.WsClient;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An owner drained with SIGTERM while clients on two gateways chat in rooms on both owners, with
 * static owners: nothing but the owner's own word takes it out of the ring, and nobody notices it go.
 */
class OwnerDrainIT {

  static final ObjectMapper JSON = new ObjectMapper();
  static final int ROOMS_PER_OWNER = 3;
  static final int MESSAGES = 150;

  /** The owner role's default DORMOUSE_DRAIN_TIMEOUT. */
  static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(25);

  ClusterFixture cluster;

  @BeforeEach
  void start() throws Exception {
    cluster =
        ClusterFixture.start(
            LocalRunFixture.room(
                "chat", "chat", "instances: true\nhibernation:\n  idleTimeout: 30s\n"));
    cluster.prepareLib();
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  @Test
  void anOwnerDrainedUnderTrafficClosesNoClientAndLosesNoMessage() throws Exception {
    int port1 = FreePorts.any();
    int port2 = FreePorts.any();
    List<OwnerEndpoint> owners =
        List.of(
            new OwnerEndpoint("o1", new InetSocketAddress("127.0.0.1", port1)),
            new OwnerEndpoint("o2", new InetSocketAddress("127.0.0.1", port2)));
    ManagedProcess draining = cluster.ownerProcess("o1", port1);
    cluster.ownerProcess("o2", port2);
    int eastPort = FreePorts.any();
    cluster.gatewayProcess("east", eastPort, "o1=127.0.0.1:" + port1 + ",o2=127.0.0.1:" + port2);
    GatewayNode west =
        cluster.gateway(
            "west", new StaticOwnerDirectory(owners), new Metrics(), Duration.ofSeconds(60));
    List<WsClient> clients =
        chatters(owners, new InetSocketAddress("127.0.0.1", eastPort), west.address());

    Traffic traffic = new Traffic(clients);
    traffic.underway();
    long sigterm = System.nanoTime();
    CompletableFuture<Long> exited = draining.onExit().thenApply(ended -> System.nanoTime());
    draining.sigterm();
    traffic.finish();

    assertEveryMessageOnceInOrderAndNoClose(clients);
    Duration drained =
        Duration.ofNanos(exited.get(DRAIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS) - sigterm);
    System.out.println("drained owner exited " + drained.toMillis() + " ms after SIGTERM");
    assertThat(drained).isLessThan(DRAIN_TIMEOUT);
    assertThat(draining.exitValue()).as(draining.output()).isZero();
    assertThat(draining.output()).doesNotContain("drain timed out");
  }

  /**
   * As in Kubernetes, where the owner hears SIGTERM before the gateways see it unready: the directory
   * still lists the owner through its whole drain, and drops it only once the owner is gone.
   */
  @Test
  void anOwnerThatDrainsBeforeTheDirectoryDropsItClosesNoClient() throws Exception {
    OwnerNode leaving = cluster.owner("o1", new Metrics());
    OwnerNode staying = cluster.owner("o2", new Metrics());
    List<OwnerEndpoint> owners =
        List.of(ClusterFixture.endpoint("o1", leaving), ClusterFixture.endpoint("o2", staying));
    StaticOwnerDirectory directory = new StaticOwnerDirectory(owners);
    GatewayNode east = cluster.gateway("east", directory, new Metrics(), Duration.ofSeconds(60));
    GatewayNode west = cluster.gateway("west", directory, new Metrics(), Duration.ofSeconds(60));
    List<WsClient> clients = chatters(owners, east.address(), west.address());

    Traffic traffic = new Traffic(clients);
    traffic.underway();
    leaving.drain(DRAIN_TIMEOUT);
    leaving.close();
    directory.set(List.of(owners.get(1)));
    traffic.finish();

    assertEveryMessageOnceInOrderAndNoClose(clients);
  }

  /** Two chatters, ann on {@code east} and bob on {@code west}, in each of three rooms on each owner. */
  static List<WsClient> chatters(
      List<OwnerEndpoint> owners, InetSocketAddress east, InetSocketAddress west) {
    List<WsClient> clients = new ArrayList<>();
    Map<String, Integer> perOwner = new HashMap<>();
    for (int i = 0; clients.size() < 4 * ROOMS_PER_OWNER; i++) {
      String owner =
          OwnerRing.pick(new RoomKey("default", "chat", "r" + i), owners).orElseThrow().ownerId();
      if (perOwner.getOrDefault(owner, 0) == ROOMS_PER_OWNER) {
        continue;
      }
      perOwner.merge(owner, 1, Integer::sum);
      WsClient ann = WsClient.connect(ClusterFixture.ws(east, "/rooms/chat/r" + i + "?name=ann"));
      ann.nextText(); // her own join
      WsClient bob = WsClient.connect(ClusterFixture.ws(west, "/rooms/chat/r" + i + "?name=bob"));
      ann.nextText();
      bob.nextText();
      clients.addAll(List.of(ann, bob));
    }
    return clients;
  }

  /** Every client talks without pausing for an answer, before, during and after the drain. */
  static final class Traffic {
    final CountDownLatch underway;
    final List<PacedLoop> loops = new ArrayList<>();

    Traffic(List<WsClient> clients) {
      underway = new CountDownLatch(clients.size());
      for (WsClient client : clients) {
        loops.add(
            PacedLoop.start(
                "traffic",
                Duration.ofMillis(10),
                m -> {
                  client.send(Integer.toString(m));
                  if (m == MESSAGES / 3) {
                    underway.countDown();
                  }
                  return m + 1 < MESSAGES;
                }));
      }
    }

    /** Returns once every client has sent a third of its messages. */
    void underway() throws InterruptedException {
      assertThat(underway.await(30, TimeUnit.SECONDS)).isTrue();
    }

    void finish() throws InterruptedException {
      for (PacedLoop loop : loops) {
        assertThat(loop.awaitEnd(Duration.ofMinutes(1))).isTrue();
      }
    }
  }

  /** Each client got both chatters' messages of its room, each once and in order, and nobody left or was closed. */
  static void assertEveryMessageOnceInOrderAndNoClose(List<WsClient> clients) throws Exception {
    for (WsClient client : clients) {
      Map<String, Integer> next = new HashMap<>(Map.of("ann", 0, "bob", 0));
      for (int i = 0; i < 2 * MESSAGES; i++) {
        JsonNode event = JSON.readTree(client.nextText());
        assertThat(event.path("type").asText()).as("nobody left: %s", event).isEqualTo("message");
        String from = event.path("name").asText();
        assertThat(event.path("text").asText())
            .as("%s's messages once each, in order", from)
            .isEqualTo(Integer.toString(next.get(from)));
        next.merge(from, 1, Integer::sum);
      }
      assertThat(client.isClosed()).isFalse();
    }
  }
}
