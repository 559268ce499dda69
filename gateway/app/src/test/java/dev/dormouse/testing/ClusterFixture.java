package dev.dormouse.testing;

import dev.dormouse.admin.Metrics;
import dev.dormouse.cluster.NoWakeRequester;
import dev.dormouse.cluster.OwnerDirectory;
import dev.dormouse.cluster.OwnerEndpoint;
import dev.dormouse.config.StaticRoomCatalog;
import dev.dormouse.gateway.EdgeSettings;
import dev.dormouse.gateway.SecretFiles;
import dev.dormouse.local.RoomFiles;
import dev.dormouse.node.GatewayNode;
import dev.dormouse.node.OwnerNode;
import dev.dormouse.runtime.HandlerResolver;
import dev.dormouse.store.EmbeddedRedis;
import dev.dormouse.store.RedisConnector;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Gateways and owners as separate servers on loopback over one real Redis (a server of the fixture's
 * own, or a three-primary Redis Cluster the test class shares): in this JVM (each with its own Redis
 * connection and link), or as real processes of dormouse.jar where a test must kill one.
 */
public final class ClusterFixture implements AutoCloseable {

  public static final String SECRET = "a-link-secret-for-the-tests-0123456789";
  public static final Duration LEASE_TTL = Duration.ofSeconds(2);

  /** The in-process gateways' heartbeat and the time their reapers wait before reaping. */
  public static final Duration HEARTBEAT = Duration.ofMillis(500);

  public static final Duration DEAD_AFTER = Duration.ofSeconds(3);

  private final EmbeddedRedis redis;
  private final String redisUrl;
  private final Stopping stopRedis;
  private final Path dir;
  private final StaticRoomCatalog catalog;
  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());

  /** Gateways (with their Redis connections), closed before {@link #owners}. */
  private final List<AutoCloseable> gateways = new CopyOnWriteArrayList<>();

  /**
   * Owners (with their Redis connections). Closed while a gateway is still linked, an owner drains:
   * it waits up to its drain timeout (25 s) for that gateway to take its rooms elsewhere, which a
   * gateway with no other owner never does; closed after the gateways, it has nothing to hand over.
   */
  private final List<AutoCloseable> owners = new CopyOnWriteArrayList<>();

  private ClusterFixture(
      EmbeddedRedis redis,
      String redisUrl,
      Stopping stopRedis,
      Path dir,
      StaticRoomCatalog catalog) {
    this.redis = redis;
    this.redisUrl = redisUrl;
    this.stopRedis = stopRedis;
    this.dir = dir;
    this.catalog = catalog;
  }

  public static ClusterFixture start(String... rooms) throws IOException {
    Path dir = roomsDir(rooms);
    StaticRoomCatalog catalog = catalog(dir);
    EmbeddedRedis redis = EmbeddedRedis.start();
    return new ClusterFixture(redis, redis.url(), redis::stop, dir, catalog);
  }

  /**
   * Over {@code redisCluster}, emptied first; closing the fixture leaves it running for the class's
   * next test.
   */
  public static ClusterFixture startOn(EmbeddedRedisCluster redisCluster, String... rooms)
      throws IOException {
    Path dir = roomsDir(rooms);
    StaticRoomCatalog catalog = catalog(dir);
    redisCluster.flushAll();
    return new ClusterFixture(null, redisCluster.url(), () -> {}, dir, catalog);
  }

  private static Path roomsDir(String... rooms) throws IOException {
    Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "cluster");
    Path roomsDir = Files.createDirectories(dir.resolve("rooms"));
    for (int i = 0; i < rooms.length; i++) {
      Files.writeString(roomsDir.resolve("room" + i + ".yaml"), rooms[i]);
    }
    return dir;
  }

  private static StaticRoomCatalog catalog(Path dir) throws IOException {
    return new StaticRoomCatalog(
        RoomFiles.load(
            dir.resolve("rooms"),
            "default",
            HandlerResolver.forLibrary(dir.resolve("lib"), ClusterFixture.class.getClassLoader())));
  }

  /**
   * For owners and gateways as processes: the probe room with instances (kept in memory for 30 s,
   * so a test's rooms do not hibernate under it), packed into the owners' lib folder.
   */
  public static ClusterFixture startWithProbeRoomInProcesses() throws IOException {
    ClusterFixture cluster = start(LocalRunFixture.PROBE_ROOM_IN_MEMORY);
    cluster.prepareLib();
    return cluster;
  }

  /**
   * The same over a Redis the test runs elsewhere (e.g. on a host of {@link NetworkHosts}); closing
   * the fixture leaves it running.
   */
  public static ClusterFixture startWithProbeRoomInProcessesOver(String redisUrl)
      throws IOException {
    Path dir = roomsDir(LocalRunFixture.PROBE_ROOM_IN_MEMORY);
    ClusterFixture cluster = new ClusterFixture(null, redisUrl, () -> {}, dir, catalog(dir));
    cluster.prepareLib();
    return cluster;
  }

  /**
   * The same over {@code sentinel}, emptied first: gateways and owners reach it through its Sentinels.
   * Closing the fixture leaves it running for the class's next test.
   */
  public static ClusterFixture startWithProbeRoomInProcessesOn(EmbeddedRedisSentinel sentinel)
      throws IOException {
    Path dir = roomsDir(LocalRunFixture.PROBE_ROOM_IN_MEMORY);
    sentinel.flushAll();
    ClusterFixture cluster = new ClusterFixture(null, sentinel.url(), () -> {}, dir, catalog(dir));
    cluster.prepareLib();
    return cluster;
  }

  /** The one redis-server; a fixture over a Redis Cluster or Sentinel has none. */
  public EmbeddedRedis redis() {
    if (redis == null) {
      throw new IllegalStateException("this fixture has no redis-server of its own: " + redisUrl);
    }
    return redis;
  }

  /** REDIS_URL of every gateway and owner: {@code redis://…}, {@code redis-cluster://…} or {@code redis-sentinel://…}. */
  public String redisUrl() {
    return redisUrl;
  }

  /** An owner in this JVM. */
  public OwnerNode owner(String id, Metrics metrics) throws IOException {
    return owner(id, metrics, redisUrl);
  }

  /** The same, reaching Redis at {@code redisUrl} (e.g. through a {@link CuttableProxy}). */
  public OwnerNode owner(String id, Metrics metrics, String redisUrl) throws IOException {
    RedisConnector connector = RedisConnector.connect(redisUrl);
    OwnerNode owner =
        new OwnerNode(
                new OwnerNode.Options(
                    id,
                    new InetSocketAddress("127.0.0.1", 0),
                    SECRET.getBytes(StandardCharsets.UTF_8),
                    Duration.ofSeconds(20),
                    LEASE_TTL,
                    4,
                    Duration.ofSeconds(1)),
                connector,
                catalog,
                HandlerResolver.forLibrary(dir.resolve("lib"), getClass().getClassLoader()),
                metrics,
                group)
            .start();
    owners.add(connector);
    owners.add(owner);
    return owner;
  }

  public static OwnerEndpoint endpoint(String id, OwnerNode owner) {
    return new OwnerEndpoint(id, owner.linkAddress());
  }

  /** A gateway in this JVM, finding owners in {@code directory}. */
  public GatewayNode gateway(
      String id, OwnerDirectory directory, Metrics metrics, Duration wakeTimeout) {
    return gateway(id, directory, metrics, wakeTimeout, this.redisUrl);
  }

  /** The same, reaching Redis at {@code redisUrl} (e.g. through a {@link CuttableProxy}). */
  public GatewayNode gateway(
      String id, OwnerDirectory directory, Metrics metrics, Duration wakeTimeout, String redisUrl) {
    RedisConnector connector = RedisConnector.connect(redisUrl);
    GatewayNode gateway =
        new GatewayNode(
                new GatewayNode.Options(
                    id,
                    "127.0.0.1",
                    0,
                    "default",
                    "example",
                    wakeTimeout,
                    1L << 20,
                    SECRET.getBytes(StandardCharsets.UTF_8),
                    HEARTBEAT,
                    DEAD_AFTER,
                    EdgeSettings.defaults()),
                connector,
                catalog,
                directory,
                new NoWakeRequester(),
                new SecretFiles(dir.resolve("secrets")),
                metrics,
                group)
            .start();
    gateways.add(connector);
    gateways.add(gateway);
    return gateway;
  }

  /** An owner process ({@code java -jar dormouse.jar owner}) serving the fixture's rooms on {@code linkPort}. */
  public ManagedProcess ownerProcess(String id, int linkPort)
      throws IOException, InterruptedException {
    return ownerProcess(id, linkPort, List.of(), Map.of());
  }

  /**
   * The same, started through {@code inside} (e.g. a {@link NetworkHosts.Host}'s {@code ip netns
   * exec}) with more of the owner role's environment set by the test.
   */
  public ManagedProcess ownerProcess(
      String id, int linkPort, List<String> inside, Map<String, String> more)
      throws IOException, InterruptedException {
    Map<String, String> env =
        new java.util.HashMap<>(
            Map.of(
                "REDIS_URL",
                redisUrl,
                "DORMOUSE_OWNER_ID",
                id,
                "DORMOUSE_LINK_PORT",
                Integer.toString(linkPort),
                "DORMOUSE_ADMIN_PORT",
                "0",
                "DORMOUSE_LINK_SECRET",
                SECRET,
                "DORMOUSE_ROOMS_DIR",
                dir.resolve("rooms").toString(),
                "DORMOUSE_LEASE_TTL",
                LEASE_TTL.toMillis() + "ms",
                "DORMOUSE_LIB_DIR",
                dir.resolve("lib").toString()));
    env.putAll(more);
    ManagedProcess owner = DormouseProcess.start(inside, dir, env, "owner");
    owners.add(owner);
    owner.awaitLine(Pattern.compile("owner " + Pattern.quote(id) + " serving"));
    return owner;
  }

  /** A gateway process ({@code java -jar dormouse.jar gateway}) with a static owner list. */
  public ManagedProcess gatewayProcess(String id, int port, String owners)
      throws IOException, InterruptedException {
    return gatewayProcess(id, port, owners, Map.of());
  }

  /** The same, with more of the gateway role's environment set by the test. */
  public ManagedProcess gatewayProcess(String id, int port, String owners, Map<String, String> more)
      throws IOException, InterruptedException {
    return gatewayProcess(id, port, owners, more, List.of());
  }

  /** The same, started through {@code inside} (e.g. a {@link NetworkHosts.Host}'s {@code ip netns exec}). */
  public ManagedProcess gatewayProcess(
      String id, int port, String owners, Map<String, String> more, List<String> inside)
      throws IOException, InterruptedException {
    Map<String, String> env =
        new java.util.HashMap<>(
            Map.of(
                "REDIS_URL",
                redisUrl,
                "DORMOUSE_GATEWAY_ID",
                id,
                "DORMOUSE_PORT",
                Integer.toString(port),
                "DORMOUSE_ADMIN_PORT",
                "0",
                "DORMOUSE_LINK_SECRET",
                SECRET,
                "DORMOUSE_ROOMS_DIR",
                dir.resolve("rooms").toString(),
                "DORMOUSE_OWNERS",
                owners));
    env.putAll(more);
    ManagedProcess gateway = DormouseProcess.start(inside, dir, env, "gateway");
    gateways.add(gateway);
    gateway.awaitLine(Pattern.compile("gateway " + Pattern.quote(id) + " serving"));
    return gateway;
  }

  /** Packs the test rooms (ProbeRoom) into a jar that owner processes load from their lib folder. */
  public void prepareLib() throws IOException {
    Path lib = Files.createDirectories(dir.resolve("lib"));
    CustomRoomJar.copyArtifactOf(ProbeRoom.class, lib.resolve("test-rooms.jar"));
  }

  public static URI ws(InetSocketAddress gateway, String path) {
    return URI.create("ws://127.0.0.1:" + gateway.getPort() + path);
  }

  @Override
  public void close() throws Exception {
    closeNewestFirst(gateways);
    closeNewestFirst(owners);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    stopRedis.stop();
  }

  private static void closeNewestFirst(List<AutoCloseable> started) {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        // keep closing the rest
      }
    }
  }

  /** What closing does to the fixture's Redis: stop its own server, or nothing to a shared one. */
  private interface Stopping {
    void stop() throws IOException;
  }
}
