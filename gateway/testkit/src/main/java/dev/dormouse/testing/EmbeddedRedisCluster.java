package dev.dormouse.testing;

import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import redis.embedded.RedisServer;

/**
 * A real Redis Cluster of three primaries, each an embedded redis-server on a free loopback port
 * with its own node file in a temporary folder, holding a third of the 16384 slots. It is ready when
 * every node says {@code cluster_state:ok} and all three agree on who holds which slots.
 */
public final class EmbeddedRedisCluster implements AutoCloseable {

  private static final int PRIMARIES = 3;
  private static final int SLOTS = 16384;
  private static final Duration FORMED_WITHIN = Duration.ofSeconds(30);

  private final Path dir;
  private final List<Node> nodes = new ArrayList<>();

  /** One server and the plain (non-cluster) client the test administers it with. */
  public record Node(int port, RedisServer server, RedisClient client) {

    /** Commands to this node alone: CLUSTER SETSLOT, MIGRATE, keys of its slots. */
    public <T> T call(Function<RedisCommands<String, String>, T> commands) {
      try (var connection = client.connect()) {
        return commands.apply(connection.sync());
      }
    }
  }

  private EmbeddedRedisCluster(Path dir) {
    this.dir = dir;
  }

  public static EmbeddedRedisCluster start() throws IOException {
    EmbeddedRedisCluster cluster =
        new EmbeddedRedisCluster(
            Files.createTempDirectory(
                Path.of(System.getProperty("java.io.tmpdir")), "redis-cluster"));
    try {
      cluster.startNodes();
      cluster.form();
    } catch (IOException | RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  private void startNodes() throws IOException {
    for (int i = 0; i < PRIMARIES; i++) {
      int port = FreePorts.clusterNode();
      RedisServer server =
          RedisServer.newRedisServer()
              .port(port)
              .bind("127.0.0.1")
              .setting("save \"\"")
              .setting("appendonly no")
              .setting("cluster-enabled yes")
              .setting("cluster-config-file " + dir.resolve("nodes-" + port + ".conf"))
              // Longer than a test's DEBUG SLEEP (RedisStall): a stalled node is slow, not failed.
              .setting("cluster-node-timeout 5000")
              .setting("cluster-announce-ip 127.0.0.1")
              .build();
      server.start();
      nodes.add(
          new Node(
              port,
              server,
              RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(port).build())));
    }
  }

  /**
   * CLUSTER MEET joins the nodes; each gets an equal run of slots; then wait for agreement. Every
   * node meets every other, rather than waiting for gossip to introduce them, which took seconds.
   */
  private void form() {
    for (Node node : nodes) {
      for (Node other : nodes) {
        if (other != node) {
          node.call(redis -> redis.clusterMeet("127.0.0.1", other.port()));
        }
      }
    }
    for (int i = 0; i < nodes.size(); i++) {
      int from = SLOTS * i / nodes.size();
      int to = SLOTS * (i + 1) / nodes.size();
      nodes.get(i).call(redis -> redis.clusterAddSlots(IntStream.range(from, to).toArray()));
    }
    await()
        .atMost(FORMED_WITHIN)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(this::isFormed);
  }

  private boolean isFormed() {
    List<String> views = new ArrayList<>();
    for (Node node : nodes) {
      String info = node.call(RedisCommands::clusterInfo);
      if (!info.contains("cluster_state:ok")
          || !info.contains("cluster_known_nodes:" + PRIMARIES)) {
        return false;
      }
      views.add(slotOwners(node.call(RedisCommands::clusterNodes)));
    }
    return views.stream().distinct().count() == 1;
  }

  /** A node's view of who holds which slots: node id and slot ranges, one line each, sorted. */
  static String slotOwners(String clusterNodes) {
    return clusterNodes
        .lines()
        .map(line -> line.split(" "))
        .map(f -> f[0] + " " + String.join(" ", Arrays.copyOfRange(f, 8, f.length)))
        .sorted()
        .reduce("", (a, b) -> a + b + "\n");
  }

  /** {@code redis-cluster://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3}: every node a seed. */
  public String url() {
    return "redis-cluster://"
        + String.join(",", nodes.stream().map(n -> "127.0.0.1:" + n.port()).toList());
  }

  Path dir() {
    return dir;
  }

  public List<Node> nodes() {
    return List.copyOf(nodes);
  }

  /** The node that holds {@code key}'s slot now. */
  public Node nodeOf(String key) {
    int slot = io.lettuce.core.cluster.SlotHash.getSlot(key);
    String holder =
        nodes
            .get(0)
            .call(RedisCommands::clusterNodes)
            .lines()
            .map(line -> line.split(" "))
            .filter(f -> holds(f, slot))
            .map(f -> f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@')))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no node holds slot " + slot));
    int port = Integer.parseInt(holder);
    return nodes.stream().filter(n -> n.port() == port).findFirst().orElseThrow();
  }

  private static boolean holds(String[] clusterNodesLine, int slot) {
    return Arrays.stream(clusterNodesLine, 8, clusterNodesLine.length)
        .filter(range -> !range.startsWith("["))
        .anyMatch(
            range -> {
              String[] ends = range.split("-");
              int from = Integer.parseInt(ends[0]);
              int to = Integer.parseInt(ends[ends.length - 1]);
              return from <= slot && slot <= to;
            });
  }

  /** Empties every node, between the tests of a class that shares the cluster. */
  public void flushAll() {
    nodes.forEach(node -> node.call(RedisCommands::flushall));
  }

  /** Stops every node and deletes their node files, whatever state a failed test left them in. */
  @Override
  public void close() {
    List<IOException> failures = new ArrayList<>();
    for (Node node : nodes) {
      node.client().shutdown();
      try {
        node.server().stop();
      } catch (IOException e) {
        failures.add(e);
      }
    }
    nodes.clear();
    deleteDir();
    if (!failures.isEmpty()) {
      throw new UncheckedIOException("cannot stop every redis-server", failures.get(0));
    }
  }

  private void deleteDir() {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
