package dev.dormouse.local;

import dev.dormouse.admin.AdminServer;
import dev.dormouse.admin.Metrics;
import dev.dormouse.config.StaticRoomCatalog;
import dev.dormouse.gateway.ClientConnections;
import dev.dormouse.gateway.GatewayServer;
import dev.dormouse.gateway.SecretFiles;
import dev.dormouse.runtime.HandlerResolver;
import dev.dormouse.runtime.RoomLibraries;
import dev.dormouse.runtime.RoomRuntime;
import dev.dormouse.store.ConnectionCounts;
import dev.dormouse.store.RedisConnector;
import dev.dormouse.store.RoomStores;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole product in one JVM: gateway and room runtime over the same interfaces they use apart,
 * Redis embedded unless a URL is given, rooms read from WebSocketRoom files.
 */
public final class LocalRun implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LocalRun.class);
  static final String NAMESPACE = "default";
  static final Duration LEASE_TTL = Duration.ofSeconds(10);

  /**
   * @param redisUrl an external Redis, or empty for an embedded one
   * @param outboundLimitBytes bytes queued for one slow client before it is closed with 1008
   */
  public record Config(Path roomsDir, Path libDir, String host, int port, int adminPort, Optional<String> redisUrl,
      Path secretsDir, String defaultRoom, Duration wakeTimeout, long outboundLimitBytes, int threads) {

    public static Config defaults() {
      return new Config(Path.of("examples/rooms"), Path.of("lib"), "0.0.0.0", 8080, 9090,
          Optional.ofNullable(System.getenv("REDIS_URL")), Path.of("examples/secrets"), "example",
          Duration.ofSeconds(30), 16L << 20, Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));
    }
  }

  private final Metrics metrics = new Metrics();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final EmbeddedRedis embedded;
  private final RedisConnector redis;
  private final RoomRuntime runtime;
  private final GatewayServer gateway;
  private final AdminServer admin;
  private final ClientConnections connections;

  private LocalRun(Config config) throws IOException {
    HandlerResolver handlers = new HandlerResolver(
        RoomLibraries.load(config.libDir(), Thread.currentThread().getContextClassLoader()));
    StaticRoomCatalog catalog = new StaticRoomCatalog(RoomFiles.load(config.roomsDir(), NAMESPACE, handlers));
    embedded = config.redisUrl().isPresent() ? null : EmbeddedRedis.start();
    redis = RedisConnector.connect(config.redisUrl().orElseGet(() -> embedded.url()));
    RoomStores stores = RoomStores.over(redis, LEASE_TTL);
    String gatewayId = "dev-" + UUID.randomUUID().toString().substring(0, 8);
    // One owner only: an event it hands back can only be offered to it again.
    RoomRuntime[] owner = new RoomRuntime[1];
    connections = new ClientConnections(gatewayId, config.outboundLimitBytes(), new ConnectionCounts(redis), metrics,
        (event, holder) -> owner[0].offer(event));
    runtime = owner[0] = new RoomRuntime(gatewayId, catalog, handlers, stores, connections, metrics, config.threads(), config.wakeTimeout());
    gateway = new GatewayServer(new GatewayServer.Options(config.host(), config.port(), NAMESPACE, config.defaultRoom()),
        catalog, runtime, connections, stores.autoResponses(), new SecretFiles(config.secretsDir()), metrics);
    admin = new AdminServer(config.host(), config.adminPort(), metrics, () -> redis.isConnected() && !draining.get());
    metrics.gauge("dormouse_instances_hibernated", "Instances with open sockets here and nothing in memory",
        () -> connections.roomKeys().stream().filter(key -> !runtime.isActive(key)).count());
    catalog.all().forEach(room -> log.info("room {} ({}) at {}", room.name(), room.handler(),
        room.instances() ? "/rooms/" + room.name() + "/{instance}" : "/rooms/" + room.name()));
  }

  /** Starts everything; throws when a room file is bad or Redis cannot be reached. */
  public static LocalRun start(Config config) throws IOException {
    LocalRun run = new LocalRun(config);
    run.gateway.start();
    run.admin.start();
    return run;
  }

  public InetSocketAddress gatewayAddress() {
    return gateway.address();
  }

  public InetSocketAddress adminAddress() {
    return admin.address();
  }

  public Metrics metrics() {
    return metrics;
  }

  public RoomRuntime runtime() {
    return runtime;
  }

  public ClientConnections connections() {
    return connections;
  }

  public RedisConnector redis() {
    return redis;
  }

  /** Clients get 1001 and their rooms close events; then everything stops. */
  @Override
  public void close() throws IOException {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    draining.set(true);
    try {
      gateway.drain(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    runtime.close();
    gateway.close();
    admin.close();
    redis.close();
    if (embedded != null) {
      embedded.stop();
    }
  }
}
