package dev.dormouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.admin.Metrics;
import dev.dormouse.cluster.OwnerEndpoint;
import dev.dormouse.cluster.StaticOwnerDirectory;
import dev.dormouse.contract.RedisKeys;
import dev.dormouse.node.GatewayNode;
import dev.dormouse.node.OwnerNode;
import dev.dormouse.room.RoomKey;
import dev.dormouse.routing.OwnerRing;
import dev.dormouse.testing.ClusterFixture;
import dev.dormouse.testing.FreePorts;
import dev.dormouse.testing.ManagedProcess;
import dev.dormouse.testing.PacedLoop;
import dev.dormouse.testing.WsClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Processes of dormouse.jar killed with SIGKILL mid-traffic: the rest of the cluster carries on. */
class ClusterCrashIT {

  static final int MESSAGES = 40;
  ClusterFixture cluster;

  @BeforeEach
  void start() throws Exception {
    cluster = ClusterFixture.startWithProbeRoomInProcesses();
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  /** Sends numbered messages; stops at the first send that fails (its socket was closed). */
  static PacedLoop talker(WsClient client, List<PacedLoop> talking) {
    return talker(client, talking, MESSAGES);
  }

  /** The same, {@code messages} of them, 40 a second. */
  static PacedLoop talker(WsClient client, List<PacedLoop> talking, int messages) {
    PacedLoop loop =
        PacedLoop.start(
            "talker",
            Duration.ofMillis(25),
            m -> {
              try {
                client.send("m" + m);
              } catch (RuntimeException e) {
                return false;
              }
              return m + 1 < messages;
            });
    talking.add(loop);
    return loop;
  }

  /** The echoes a client gets after its first, until it has them all or it is closed and has no more. */
  static List<Integer> echoesUntilClosedOrComplete(WsClient client) {
    return echoesUntilClosedOrComplete(client, MESSAGES);
  }

  /** The same, for a talker of {@code messages}. */
  static List<Integer> echoesUntilClosedOrComplete(WsClient client, int messages) {
    List<Integer> echoed = new ArrayList<>();
    while (echoed.size() < messages - 1) {
      if (client.isClosed() && client.nothingReceived()) {
        break;
      }
      try {
        echoed.add(Integer.parseInt(client.nextText().substring("echo:m".length())));
      } catch (AssertionError noMore) {
        break;
      }
    }
    return echoed;
  }

  @Test
  void anOwnerKilledMidTrafficLosesNoAttachmentAndNoMessageSilently() throws Exception {
    int port1 = FreePorts.any();
    int port2 = FreePorts.any();
    List<OwnerEndpoint> owners =
        List.of(
            new OwnerEndpoint("o1", new InetSocketAddress("127.0.0.1", port1)),
            new OwnerEndpoint("o2", new InetSocketAddress("127.0.0.1", port2)));
    ManagedProcess doomed = cluster.ownerProcess("o1", port1);
    ManagedProcess survivor = cluster.ownerProcess("o2", port2);
    StaticOwnerDirectory directory = new StaticOwnerDirectory(owners);
    GatewayNode gateway = cluster.gateway("gw", directory, new Metrics(), Duration.ofSeconds(20));
    String instance = "k0";
    for (int i = 0;
        !OwnerRing.pick(new RoomKey("default", "probe", instance), owners)
            .orElseThrow()
            .ownerId()
            .equals("o1");
        i++) {
      instance = "k" + i;
    }
    String path = "/rooms/probe/" + instance;
    WsClient quiet =
        WsClient.connect(ClusterFixture.ws(gateway.address(), path + "?name=quiet&tags=calm"));
    List<WsClient> talkers = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      talkers.add(WsClient.connect(ClusterFixture.ws(gateway.address(), path + "?name=t" + c)));
    }
    List<PacedLoop> threads = new CopyOnWriteArrayList<>();
    talkers.forEach(client -> talker(client, threads));
    for (WsClient client : talkers) {
      assertThat(client.nextText()).isEqualTo("echo:m0");
    }

    doomed.kill();
    directory.set(List.of(owners.get(1)));
    for (PacedLoop thread : threads) {
      assertThat(thread.awaitEnd(Duration.ofMinutes(1))).isTrue();
    }

    for (WsClient client : talkers) {
      List<Integer> echoed = echoesUntilClosedOrComplete(client);
      assertThat(echoed)
          .as("no message twice, none out of order")
          .isSorted()
          .doesNotHaveDuplicates();
      if (!echoed.equals(java.util.stream.IntStream.range(1, MESSAGES).boxed().toList())) {
        assertThat(client.isClosed())
            .as("a sender missing echoes %s must have been told", echoed)
            .isTrue();
        assertThat(client.awaitClose().code()).isEqualTo(1013);
      }
    }
    quiet.send("who");
    String who = quiet.nextText();
    assertThat(who).startsWith("who quiet[calm]");
    for (int c = 0; c < 3; c++) {
      if (!talkers.get(c).isClosed()) {
        assertThat(who).contains("t" + c + "[]");
      }
    }
    assertThat(quiet.isClosed()).isFalse();
    survivor.close();
  }

  @Test
  void aGatewayKilledTakesOnlyItsSocketsAndTheirRoomsHearOfIt() throws Exception {
    OwnerNode owner = cluster.owner("owner", new Metrics());
    StaticOwnerDirectory directory =
        new StaticOwnerDirectory(List.of(ClusterFixture.endpoint("owner", owner)));
    GatewayNode staying =
        cluster.gateway("staying", directory, new Metrics(), Duration.ofSeconds(20));
    int port = FreePorts.any();
    ManagedProcess doomed =
        cluster.gatewayProcess("doomed", port, "owner=127.0.0.1:" + owner.linkAddress().getPort());
    WsClient leaver =
        WsClient.connect(
            ClusterFixture.ws(
                new InetSocketAddress("127.0.0.1", port), "/rooms/probe/g?name=leaver"));
    WsClient stayer =
        WsClient.connect(ClusterFixture.ws(staying.address(), "/rooms/probe/g?name=stayer"));
    stayer.send("who");
    assertThat(stayer.nextText()).isEqualTo("who leaver[] stayer[]");

    doomed.kill();

    RoomKey key = new RoomKey("default", "probe", "g");
    RedisClient client = RedisClient.create(cluster.redis().url());
    try (StatefulRedisConnection<String, String> redis = client.connect()) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> redis.sync().hget(RedisKeys.storage(key), "closed:leaver") != null);
      assertThat(redis.sync().hget(RedisKeys.storage(key), "closed:leaver"))
          .isEqualTo("1006 false");
      // The reaper closes the dead gateway's connections before it drops their set.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> redis.sync().exists(RedisKeys.gatewayConnections("doomed")) == 0);
    } finally {
      client.shutdown();
    }
    stayer.send("who");
    assertThat(stayer.nextText())
        .as("no ghost of the dead gateway's socket")
        .isEqualTo("who stayer[]");
    assertThat(leaver.awaitClose().code()).isEqualTo(1006);
  }
}
