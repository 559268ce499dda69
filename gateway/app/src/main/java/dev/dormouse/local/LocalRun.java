package dev.dormouse.local;

import dev.dormouse.admin.AdminAccess;
import dev.dormouse.admin.AdminServer;
import dev.dormouse.admin.Metrics;
import dev.dormouse.cluster.NoWakeRequester;
import dev.dormouse.cluster.OwnerEndpoint;
import dev.dormouse.cluster.StaticOwnerDirectory;
import dev.dormouse.config.StaticRoomCatalog;
import dev.dormouse.gateway.ClientConnections;
import dev.dormouse.gateway.EdgeSettings;
import dev.dormouse.gateway.SecretFiles;
import dev.dormouse.node.GatewayNode;
import dev.dormouse.node.GatewaySettings;
import dev.dormouse.node.OwnerNode;
import dev.dormouse.node.OwnerSettings;
import dev.dormouse.publish.PublishToken;
import dev.dormouse.runtime.HandlerResolver;
import dev.dormouse.runtime.RoomRuntime;
import dev.dormouse.store.EmbeddedRedis;
import dev.dormouse.store.RedisConnector;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole product in one JVM: a gateway and an owner, talking over the same link they use apart
 * (on loopback), Redis embedded unless a URL is given, rooms read from WebSocketRoom files.
 */
public final class LocalRun implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LocalRun.class);
  static final String NAMESPACE = "default";
  static final Duration LEASE_TTL = OwnerSettings.DEFAULT_LEASE_TTL;
  static final Duration ACTIVITY_EVERY = OwnerSettings.ACTIVITY_EVERY;
  static final Duration HEARTBEAT = GatewaySettings.HEARTBEAT;
  static final Duration DEAD_AFTER = GatewaySettings.DEFAULT_DEAD_AFTER;

  /**
   * @param roomsDir the WebSocketRoom files to serve, or empty for the built-in rooms ({@link
   *     RoomFiles#BUILT_IN})
   * @param libDir the room library folder: jars with room classes, modules of {@code js:} handlers
   * @param redisUrl an external Redis, or empty for an embedded one
   * @param outboundLimitBytes bytes queued for one slow client before it is closed with 1008
   * @param adminToken what the admin page's buttons need, when set ({@code docs/admin.md})
   */
  public record Config(
      Optional<Path> roomsDir,
      Path libDir,
      String host,
      int port,
      int adminPort,
      Optional<String> redisUrl,
      Path secretsDir,
      String defaultRoom,
      Duration wakeTimeout,
      long outboundLimitBytes,
      int threads,
      EdgeSettings edge,
      Optional<byte[]> adminToken) {

    /** The repository's examples/rooms when run in it, else the built-in rooms. */
    public static Config defaults() {
      Path rooms = Path.of("examples/rooms");
      return new Config(
          Optional.of(rooms).filter(Files::isDirectory),
          rooms, // a JavaScript room's module sits beside its YAML file
          "0.0.0.0",
          8080,
          9090,
          Optional.ofNullable(System.getenv("REDIS_URL")),
          Path.of("examples/secrets"),
          "example",
          Duration.ofSeconds(30),
          GatewaySettings.OUTBOUND_LIMIT_BYTES,
          OwnerSettings.roomThreads(),
          EdgeSettings.defaults(),
          Optional.empty());
    }
  }

  private final Metrics metrics = new Metrics();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final EmbeddedRedis embedded;
  private final RedisConnector redis;
  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
  private final OwnerNode owner;
  private final GatewayNode gateway;
  private final AdminServer admin;

  private LocalRun(Config config) throws IOException {
    HandlerResolver handlers =
        HandlerResolver.forLibrary(config.libDir(), Thread.currentThread().getContextClassLoader());
    StaticRoomCatalog catalog =
        new StaticRoomCatalog(
            config.roomsDir().isPresent()
                ? RoomFiles.load(config.roomsDir().get(), NAMESPACE, handlers)
                : RoomFiles.loadBuiltIn(NAMESPACE, handlers));
    embedded = config.redisUrl().isPresent() ? null : EmbeddedRedis.start();
    redis = RedisConnector.connect(config.redisUrl().orElseGet(() -> embedded.url()));
    String id = UUID.randomUUID().toString().substring(0, 8);
    byte[] linkSecret = new byte[32];
    new SecureRandom().nextBytes(linkSecret);
    owner =
        new OwnerNode(
                new OwnerNode.Options(
                    "dev-owner-" + id,
                    new InetSocketAddress("127.0.0.1", 0),
                    linkSecret,
                    config.wakeTimeout(),
                    LEASE_TTL,
                    config.threads(),
                    ACTIVITY_EVERY),
                redis,
                catalog,
                handlers,
                metrics,
                group)
            .start();
    StaticOwnerDirectory directory =
        new StaticOwnerDirectory(
            List.of(new OwnerEndpoint("dev-owner-" + id, owner.linkAddress())));
    gateway =
        new GatewayNode(
            new GatewayNode.Options(
                "dev-gateway-" + id,
                config.host(),
                config.port(),
                NAMESPACE,
                config.defaultRoom(),
                config.wakeTimeout(),
                config.outboundLimitBytes(),
                linkSecret,
                HEARTBEAT,
                DEAD_AFTER,
                config.edge()),
            redis,
            catalog,
            directory,
            new NoWakeRequester(),
            new SecretFiles(config.secretsDir()),
            metrics,
            group);
    admin =
        new AdminServer(
            config.host(),
            config.adminPort(),
            metrics,
            () -> redis.isConnected() && !draining.get());
    gateway.serveAdmin(admin, AdminAccess.dev(config.adminToken()));
    catalog
        .all()
        .forEach(
            room ->
                log.info(
                    "room {} ({}) at {}",
                    room.name(),
                    room.handler(),
                    room.instances()
                        ? "/rooms/" + room.name() + "/{instance}"
                        : "/rooms/" + room.name()));
  }

  /** Starts everything; throws when a room file is bad or Redis cannot be reached. */
  public static LocalRun start(Config config) throws IOException {
    LocalRun run = new LocalRun(config);
    run.gateway.start();
    run.admin.start();
    return run;
  }

  /** Serves the publish API on {@code port} (0: any free port) for callers presenting {@code token}. */
  public InetSocketAddress servePublishApi(int port, PublishToken token) {
    return gateway.servePublishApi(port, token);
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
    return owner.runtime();
  }

  public ClientConnections connections() {
    return gateway.connections();
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
      owner.drain(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    gateway.close();
    owner.close();
    admin.close();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    redis.close();
    if (embedded != null) {
      embedded.stop();
    }
  }
}
