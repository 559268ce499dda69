package dev.dormouse.testing;

import static org.awaitility.Awaitility.await;

import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.sentinel.api.sync.RedisSentinelCommands;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import redis.embedded.core.ExecutableProvider;

/**
 * A primary, one replica and three Sentinels (quorum two, as a production setup has), each a process
 * of the embedded-redis jar's redis-server on a free loopback port with its config file in a temporary
 * folder. The Sentinels judge a primary down after {@link #DOWN_AFTER}, so a failover completes in a
 * few seconds. A test kills the primary with SIGKILL, waits for the promotion, and may bring the killed
 * server back as the new primary's replica for another round; it can also freeze a server (SIGSTOP) so
 * that writes stop reaching it.
 */
public final class EmbeddedRedisSentinel implements AutoCloseable {

  public static final String MASTER = "dormouse";
  public static final Duration DOWN_AFTER = Duration.ofMillis(1000);

  private static final int SENTINELS = 3;
  private static final int QUORUM = 2;

  /**
   * Twice this separates two failover attempts of one Sentinel for one primary: short, so that a vote
   * split among the Sentinels is retried within seconds.
   */
  private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(2);

  private static final Duration READY_WITHIN = Duration.ofSeconds(30);

  /** A key the fixture writes and deletes to see that writes reach the replica. */
  private static final String READY_PROBE = "embedded-redis-sentinel:ready";

  private final Path dir;
  private final File binary;
  private final RedisClient client = RedisClient.create();
  private final List<Node> data = new ArrayList<>();
  private final List<Node> sentinels = new ArrayList<>();
  private volatile Node primary;

  /** One redis-server process: a data node or a Sentinel. */
  public final class Node {

    private final int port;
    private final Path config;
    private volatile Process process;
    private volatile boolean frozen;

    private Node(int port, Path config) {
      this.port = port;
      this.config = config;
    }

    public int port() {
      return port;
    }

    /** A plain {@code redis://} URL of this server alone. */
    public String url() {
      return "redis://127.0.0.1:" + port;
    }

    /** Commands to this server alone (a data node). */
    public <T> T call(Function<RedisCommands<String, String>, T> commands) {
      try (var connection = client.connect(uri(port))) {
        return commands.apply(connection.sync());
      }
    }

    private <T> T sentinel(Function<RedisSentinelCommands<String, String>, T> commands) {
      try (var connection = client.connectSentinel(uri(port))) {
        return commands.apply(connection.sync());
      }
    }

    private void start(boolean asSentinel) throws IOException {
      List<String> command = new ArrayList<>(List.of(binary.toString(), config.toString()));
      if (asSentinel) {
        command.add("--sentinel");
      }
      process =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(port + ".log").toFile()))
              .start();
      // Its own process answers, not a server of another test that took the port meanwhile.
      awaitUntil(
          this + " up",
          READY_WITHIN,
          () -> {
            if (!process.isAlive()) {
              throw new IllegalStateException(this + " exited with " + process.exitValue());
            }
            return call(r -> r.info("server")).contains("process_id:" + process.pid());
          });
    }

    /** SIGKILL, as a crashed pod or a lost node: no goodbye to its replicas or clients. */
    public void kill() {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** SIGSTOP: the process keeps its sockets open and answers nothing. */
    public void freeze() {
      signal("STOP");
      frozen = true;
    }

    /** SIGCONT after {@link #freeze}. */
    public void thaw() {
      signal("CONT");
      frozen = false;
    }

    private void signal(String signal) {
      try {
        Process kill =
            new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
        if (kill.waitFor() != 0) {
          throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    @Override
    public String toString() {
      return "redis-server:" + port;
    }
  }

  private EmbeddedRedisSentinel(Path dir, File binary) {
    this.dir = dir;
    this.binary = binary;
  }

  public static EmbeddedRedisSentinel start() throws IOException {
    Path dir =
        Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "redis-sentinel");
    EmbeddedRedisSentinel sentinel =
        new EmbeddedRedisSentinel(dir, ExecutableProvider.newJarResourceProvider().get());
    try {
      sentinel.startAll();
    } catch (IOException | RuntimeException e) {
      sentinel.close();
      throw e;
    }
    return sentinel;
  }

  private void startAll() throws IOException {
    Node first = dataNode(FreePorts.any(), null);
    primary = first;
    Node replica = dataNode(FreePorts.any(), first);
    awaitReplicating(replica);
    for (int i = 0; i < SENTINELS; i++) {
      int port = FreePorts.any();
      Path config = dir.resolve("sentinel-" + port + ".conf");
      Files.writeString(
          config,
          String.join(
              "\n",
              "port " + port,
              "bind 127.0.0.1",
              "sentinel monitor " + MASTER + " 127.0.0.1 " + first.port() + " " + QUORUM,
              "sentinel down-after-milliseconds " + MASTER + " " + DOWN_AFTER.toMillis(),
              "sentinel failover-timeout " + MASTER + " " + FAILOVER_TIMEOUT.toMillis(),
              "sentinel parallel-syncs " + MASTER + " 1",
              ""));
      Node node = new Node(port, config);
      sentinels.add(node);
      node.start(true);
    }
    awaitMonitored();
  }

  /** A data node on {@code port}; the replica of {@code primaryNode} unless that is null. */
  private Node dataNode(int port, Node primaryNode) throws IOException {
    Path config = dir.resolve("node-" + port + ".conf");
    List<String> lines =
        new ArrayList<>(
            List.of(
                "port " + port,
                "bind 127.0.0.1",
                "save \"\"",
                "appendonly no",
                "dir " + dir,
                "dbfilename dump-" + port + ".rdb",
                // A replica's first full sync streams the data set at once rather than through a
                // file.
                "repl-diskless-sync yes",
                "repl-diskless-sync-delay 0"));
    if (primaryNode != null) {
      lines.add("replicaof 127.0.0.1 " + primaryNode.port());
    }
    Files.writeString(config, String.join("\n", lines) + "\n");
    Node node = new Node(port, config);
    data.add(node);
    node.start(false);
    return node;
  }

  /**
   * The replica has synchronised and acknowledges the primary's writes: a write made now is on it
   * within a second ({@code WAIT}), as a lease write that waits for a replica needs.
   */
  private void awaitReplicating(Node replica) {
    awaitUntil(
        replica + " replicating " + primary,
        READY_WITHIN,
        () ->
            replica.call(r -> r.info("replication")).contains("master_link_status:up")
                && primary.call(
                        r -> {
                          r.set(READY_PROBE, "1");
                          r.del(READY_PROBE);
                          return r.waitForReplication(1, 1000);
                        })
                    >= 1);
  }

  /**
   * Every Sentinel names the primary, knows its replica and the other Sentinels (they find each other
   * through the primary, within a few seconds), and sees nothing down: only then can a failover happen.
   */
  private void awaitMonitored() {
    awaitUntil(
        "every Sentinel watching " + primary + " and its replica",
        READY_WITHIN,
        () ->
            sentinels.stream()
                .allMatch(
                    s -> {
                      Map<String, String> master = s.sentinel(c -> c.master(MASTER));
                      List<Map<String, String>> replicas = s.sentinel(c -> c.replicas(MASTER));
                      return Integer.parseInt(master.get("port")) == primary.port()
                          && master.get("flags").equals("master")
                          && master.get("num-other-sentinels").equals("" + (SENTINELS - 1))
                          && replicas.size() == data.size() - 1
                          && replicas.stream()
                              .allMatch(
                                  r ->
                                      r.get("flags").equals("slave")
                                          && r.get("master-link-status").equals("ok"));
                    }));
  }

  /** {@code redis-sentinel://127.0.0.1:s1,127.0.0.1:s2,127.0.0.1:s3#dormouse}: every Sentinel. */
  public String url() {
    return "redis-sentinel://"
        + String.join(",", sentinels.stream().map(s -> "127.0.0.1:" + s.port()).toList())
        + "#"
        + MASTER;
  }

  /** The data node the Sentinels name as primary now. */
  public Node primary() {
    return primary;
  }

  /** The data node that replicates the primary. */
  public Node replica() {
    return data.stream().filter(n -> n != primary).findFirst().orElseThrow();
  }

  /**
   * Freezes the replica and drops its link at the primary: no write made from now on reaches it, while
   * the Sentinels still count it as a replica they may promote. (Freezing alone is not enough: the
   * kernel goes on buffering the replication stream, and the replica applies it once thawed.)
   */
  public Node detachReplica() {
    Node replica = replica();
    replica.freeze();
    primary.call(r -> r.clientKill(KillArgs.Builder.typeSlave()));
    return replica;
  }

  /** SIGKILLs the primary; {@link #awaitPromotion} waits for the replica to take its place. */
  public Node killPrimary() {
    Node killed = primary;
    killed.kill();
    return killed;
  }

  /**
   * Waits until every Sentinel names the replica as primary and it says it is one; returns it. A
   * Sentinel that lost the vote learns the outcome from the winner's hello within a second or two.
   */
  public Node awaitPromotion(Duration within) {
    Node promoted = replica();
    awaitUntil(
        "every Sentinel naming " + promoted + " primary",
        within,
        () ->
            sentinels.stream()
                    .allMatch(
                        s ->
                            s.sentinel(c -> c.getMasterAddrByName(MASTER))
                                    instanceof InetSocketAddress address
                                && address.getPort() == promoted.port())
                && promoted.call(r -> r.info("replication")).contains("role:master"));
    primary = promoted;
    return promoted;
  }

  /**
   * Starts the killed server again as the new primary's replica, empty as a restarted pod without
   * persistence, and waits until the Sentinels see it as a healthy replica: ready for another failover.
   */
  public void rejoin(Node killed) throws IOException {
    if (killed.process.isAlive()) {
      throw new IllegalStateException(killed + " still runs");
    }
    data.remove(killed);
    Node again = dataNode(killed.port(), primary);
    awaitReplicating(again);
    // A Sentinel may still hold what the server reported before it was killed (that it was the
    // primary) until its next INFO to it, up to 10 s away, and act on that: seen to leave its view
    // unsettled after a quick second failover. Reset, they rediscover the primary, its replica and
    // each other afresh within about two seconds.
    sentinels.forEach(sentinel -> sentinel.sentinel(c -> c.reset(MASTER)));
    awaitMonitored();
  }

  /**
   * Back to a primary and a healthy replica after whatever a test did: a frozen server goes on, a
   * killed one {@link #rejoin}s. What a test class calls after each test, so the next starts whole.
   */
  public void heal() throws IOException {
    for (Node node : List.copyOf(data)) {
      if (node.frozen) {
        node.thaw();
      }
    }
    if (!primary.process.isAlive()) {
      killPrimary();
      awaitPromotion(READY_WITHIN);
    }
    for (Node node : List.copyOf(data)) {
      if (!node.process.isAlive()) {
        rejoin(node);
      }
    }
  }

  /** Empties the data set through the primary, between the tests of a class that shares the setup. */
  public void flushAll() {
    primary.call(RedisCommands::flushall);
  }

  /** Kills every process and deletes the folder, whatever state a failed test left them in. */
  @Override
  public void close() {
    Stream.concat(sentinels.stream(), data.stream())
        .filter(n -> n.process != null)
        .forEach(Node::kill);
    sentinels.clear();
    data.clear();
    client.shutdown();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }

  /** Awaitility's wait, failing with what did not happen and the end of every server's log. */
  private void awaitUntil(String what, Duration within, Callable<Boolean> condition) {
    try {
      await()
          .atMost(within)
          .pollInterval(Duration.ofMillis(50))
          .ignoreExceptionsMatching(e -> !(e instanceof IllegalStateException))
          .until(condition);
    } catch (ConditionTimeoutException | IllegalStateException e) {
      throw new AssertionError(
          "not " + what + " within " + within + "\n" + sentinelViews() + logTails(), e);
    }
  }

  private String sentinelViews() {
    StringBuilder views = new StringBuilder();
    for (Node sentinel : sentinels) {
      String view;
      try {
        Map<String, String> master = sentinel.sentinel(c -> c.master(MASTER));
        List<Map<String, String>> replicas = sentinel.sentinel(c -> c.replicas(MASTER));
        view = master + " replicas " + replicas;
      } catch (RuntimeException e) {
        view = e.toString();
      }
      views.append("--- Sentinel ").append(sentinel.port()).append(": ").append(view).append('\n');
    }
    return views.toString();
  }

  private String logTails() {
    StringBuilder tails = new StringBuilder();
    try (Stream<Path> logs = Files.list(dir)) {
      for (Path log : logs.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
        List<String> lines = Files.readAllLines(log);
        tails.append("--- ").append(log.getFileName()).append('\n');
        lines
            .subList(Math.max(0, lines.size() - 15), lines.size())
            .forEach(line -> tails.append(line).append('\n'));
      }
    } catch (IOException e) {
      tails.append("(logs unreadable: ").append(e).append(')');
    }
    return tails.toString();
  }

  private static RedisURI uri(int port) {
    return RedisURI.builder()
        .withHost("127.0.0.1")
        .withPort(port)
        .withTimeout(Duration.ofSeconds(2))
        .build();
  }
}
