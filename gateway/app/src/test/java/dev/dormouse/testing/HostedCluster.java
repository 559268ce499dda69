package dev.dormouse.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dormouse.cluster.OwnerEndpoint;
import dev.dormouse.room.RoomKey;
import dev.dormouse.routing.OwnerRing;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Redis, two owners and two gateways, each a real process on a host of its own ({@link
 * NetworkHosts}: hosts {@code redis}, {@code o1}, {@code o2}, {@code gw1}, {@code gw2}), the gateways
 * finding the owners in a static list (DORMOUSE_OWNERS) of the owners' addresses. The test's clients
 * reach the gateways over the network too, so every link crosses it and the test can cut any of
 * them.
 */
public final class HostedCluster implements AutoCloseable {

  public static final List<String> OWNERS = List.of("o1", "o2");
  public static final List<String> GATEWAYS = List.of("gw1", "gw2");
  public static final int LINK_PORT = 7070;
  public static final int CLIENT_PORT = 8080;
  public static final int ADMIN_PORT = 9090;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  /**
   * The gateways' DORMOUSE_GATEWAY_DEAD_AFTER, the default: they fence themselves a quarter earlier
   * (7.5 s after the last beat Redis acknowledged, beats every 2 s). A shorter one would make short
   * cuts fence: TCP's retransmission backoff makes a cut's effect outlast it (after a 2 s cut the next
   * retransmission can come 1.6 s after the heal).
   */
  public static final Duration DEAD_AFTER = Duration.ofSeconds(10);

  /**
   * The tag of the tests on these hosts: a run leaves them out with {@code
   * -Ddormouse.it.excludedGroups=netns} (CI's second JDK pass does, to save its time).
   */
  public static final String TAG = "netns";

  private final NetworkHosts network;
  private final ClusterFixture processes;
  private final RedisClient redisClient;
  private final StatefulRedisConnection<String, String> redis;

  private HostedCluster(NetworkHosts network, ClusterFixture processes) {
    this.network = network;
    this.processes = processes;
    this.redisClient = RedisClient.create(RedisProcess.url(network.host("redis")));
    this.redis = redisClient.connect();
  }

  /** For a test class's {@code @BeforeAll}: skips the class where hosts cannot be made. */
  public static void assumeHostsCanBeMade() {
    assumeTrue(
        NetworkHosts.unavailable().isEmpty(),
        () -> "skipped: " + NetworkHosts.unavailable().orElseThrow());
  }

  public static HostedCluster start() throws Exception {
    return start(network -> {});
  }

  /** Makes the hosts, lets {@code shape} slow their network, then starts the processes. */
  public static HostedCluster start(Shaping shape) throws Exception {
    NetworkHosts network =
        NetworkHosts.create(
            Stream.of(List.of("redis"), OWNERS, GATEWAYS)
                .flatMap(List::stream)
                .toArray(String[]::new));
    ClusterFixture processes = null;
    try {
      shape.apply(network);
      RedisProcess.start(network.host("redis"));
      processes =
          ClusterFixture.startWithProbeRoomInProcessesOver(RedisProcess.url(network.host("redis")));
      startAll(processes, network);
      return new HostedCluster(network, processes);
    } catch (Exception | Error e) {
      if (processes != null) {
        processes.close();
      }
      network.close();
      throw e;
    }
  }

  /** What a test does to the network before anything connects over it. */
  public interface Shaping {
    void apply(NetworkHosts network) throws Exception;
  }

  /** Owners at once, then gateways at once: starting JVMs one by one would take most of a test. */
  private static void startAll(ClusterFixture processes, NetworkHosts network) {
    String owners =
        OWNERS.stream()
            .map(id -> id + "=" + network.host(id).address() + ":" + LINK_PORT)
            .collect(Collectors.joining(","));
    all(
        OWNERS.stream()
            .map(
                id ->
                    (Start)
                        () ->
                            processes.ownerProcess(
                                id,
                                LINK_PORT,
                                network.host(id).inside(),
                                Map.of("DORMOUSE_ADMIN_PORT", Integer.toString(ADMIN_PORT)))));
    all(
        GATEWAYS.stream()
            .map(
                id ->
                    (Start)
                        () ->
                            processes.gatewayProcess(
                                id,
                                CLIENT_PORT,
                                owners,
                                Map.of(
                                    "DORMOUSE_GATEWAY_DEAD_AFTER",
                                    DEAD_AFTER.toMillis() + "ms",
                                    "DORMOUSE_ADMIN_PORT",
                                    Integer.toString(ADMIN_PORT)),
                                network.host(id).inside())));
  }

  private interface Start {
    ManagedProcess start() throws Exception;
  }

  private static void all(Stream<Start> starts) {
    CompletableFuture.allOf(
            starts
                .map(
                    start ->
                        CompletableFuture.runAsync(
                            () -> {
                              try {
                                start.start();
                              } catch (Exception e) {
                                throw new IllegalStateException(e);
                              }
                            }))
                .toArray(CompletableFuture[]::new))
        .join();
  }

  public NetworkHosts network() {
    return network;
  }

  public NetworkHosts.Host host(String name) {
    return network.host(name);
  }

  /** The WebSocket URI of {@code path} at gateway {@code gateway}. */
  public URI ws(String gateway, String path) {
    return URI.create("ws://" + host(gateway).address() + ":" + CLIENT_PORT + path);
  }

  /** The first instance {@code prefix0}, {@code prefix1}, … of the probe room that the ring gives {@code owner}. */
  public String instanceOn(String owner, String prefix) {
    List<OwnerEndpoint> endpoints =
        OWNERS.stream()
            .map(id -> new OwnerEndpoint(id, new InetSocketAddress(host(id).address(), LINK_PORT)))
            .toList();
    for (int i = 0; ; i++) {
      String instance = prefix + i;
      if (OwnerRing.pick(new RoomKey("default", "probe", instance), endpoints)
          .orElseThrow()
          .ownerId()
          .equals(owner)) {
        return instance;
      }
    }
  }

  /** Whether the role on {@code host} answers {@code /readyz} with 200. */
  public boolean ready(String host) throws InterruptedException {
    try {
      return HTTP.send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://" + host(host).address() + ":" + ADMIN_PORT + "/readyz"))
                      .timeout(Duration.ofSeconds(1))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException unreachable) {
      return false;
    }
  }

  /** Commands to the cluster's Redis, from the test's own namespace. */
  public RedisCommands<String, String> redis() {
    return redis.sync();
  }

  /** Kills every process with its host (a drain over a cut network would only wait), then the rest. */
  @Override
  public void close() throws Exception {
    try {
      redis.close();
      redisClient.shutdown();
    } finally {
      network.close();
      processes.close();
    }
  }
}
