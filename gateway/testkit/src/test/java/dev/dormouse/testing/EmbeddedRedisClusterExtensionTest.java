package dev.dormouse.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.dormouse.store.RedisConnector;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

class EmbeddedRedisClusterExtensionTest {

  static EmbeddedRedisCluster clusterBeforeAll;
  static RedisConnector connectorBeforeAll;
  static String url;
  static List<Long> keysPerNode;

  /** A test class whose tests share one cluster, and one of them fails; run by the launcher below. */
  @ExtendWith(EmbeddedRedisClusterExtension.class)
  static class UsesCluster {

    @BeforeAll
    static void start(EmbeddedRedisCluster cluster, RedisConnector redis) {
      clusterBeforeAll = cluster;
      connectorBeforeAll = redis;
      url = cluster.url();
    }

    @Test
    void keysLandOnEveryPrimary(EmbeddedRedisCluster cluster, RedisConnector redis) {
      assertThat(cluster).isSameAs(clusterBeforeAll);
      IntStream.range(0, 300).forEach(i -> redis.sync().set("key-" + i, "v" + i));
      keysPerNode = cluster.nodes().stream().map(n -> n.call(RedisCommands::dbsize)).toList();
      assertThat(redis.sync().get("key-299")).isEqualTo("v299");
      String onItsNode = cluster.nodeOf("key-7").call(r -> r.get("key-7"));
      assertThat(onItsNode).isEqualTo("v7");
    }

    @Test
    void fails() {
      throw new AssertionError("a failing test must not leave the cluster running");
    }
  }

  static Set<String> nodesHoldingRooms = new HashSet<>();

  /** A test class written for one server, as the gateway's are. */
  @ExtendWith(EmbeddedRedisExtension.class)
  static class WrittenForOneServer {

    @Test
    void findsItsRooms(RedisNodes nodes, RedisConnector redis) {
      for (int room = 0; room < 20; room++) {
        String key = "dormouse:{ns/room-" + room + "}:conns";
        redis.sync().set(key, "x");
        nodesHoldingRooms.add(nodes.urlOfNodeHolding(key));
      }
    }
  }

  @ExtendWith(EmbeddedRedisClusterExtension.class)
  static class WrittenForOneServerOnACluster extends WrittenForOneServer {}

  @Test
  void aSubclassExtendedWithTheClusterRunsItsParentsTestsOnTheCluster() {
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    LauncherFactory.create()
        .execute(
            LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(WrittenForOneServerOnACluster.class))
                .build(),
            listener);

    assertThat(listener.getSummary().getTestsSucceededCount()).isEqualTo(1);
    assertThat(nodesHoldingRooms)
        .as("rooms spread over the three primaries")
        .hasSize(3)
        .allMatch(url -> url.matches("redis://127\\.0\\.0\\.1:\\d+"));
  }

  @Test
  void oneClusterOfThreePrimariesForTheWholeClassStoppedAfterItEvenOnFailure() throws Exception {
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    LauncherFactory.create()
        .execute(
            LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(UsesCluster.class))
                .build(),
            listener);

    assertThat(listener.getSummary().getTestsSucceededCount())
        .as(
            listener.getSummary().getFailures().stream()
                .map(f -> f.getException().toString())
                .toList()
                .toString())
        .isEqualTo(1);
    assertThat(listener.getSummary().getTestsFailedCount()).isEqualTo(1);
    assertThat(url).matches("redis-cluster://(127\\.0\\.0\\.1:\\d+,){2}127\\.0\\.0\\.1:\\d+");
    assertThat(keysPerNode)
        .as("the slots are spread over three primaries")
        .hasSize(3)
        .allMatch(n -> n > 50);
    assertThat(connectorBeforeAll.isConnected()).as("connection closed after the class").isFalse();
    for (String seed : url.substring("redis-cluster://".length()).split(",")) {
      int port = Integer.parseInt(seed.substring(seed.indexOf(':') + 1));
      assertThatThrownBy(
              () -> {
                try (Socket socket = new Socket()) {
                  socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                }
              })
          .as("redis-server on " + port + " stopped after the class")
          .isInstanceOf(IOException.class);
    }
    assertThat(clusterBeforeAll.dir()).as("node files deleted").doesNotExist();
  }
}
