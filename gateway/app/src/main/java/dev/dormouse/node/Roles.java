package dev.dormouse.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dormouse.admin.AdminServer;
import dev.dormouse.admin.Metrics;
import dev.dormouse.cluster.KubernetesOwnerDirectory;
import dev.dormouse.cluster.KubernetesRoomCatalog;
import dev.dormouse.cluster.KubernetesWakeRequester;
import dev.dormouse.cluster.NoWakeRequester;
import dev.dormouse.cluster.OwnerDirectory;
import dev.dormouse.cluster.StaticOwnerDirectory;
import dev.dormouse.cluster.WakeRequester;
import dev.dormouse.config.RoomCatalog;
import dev.dormouse.config.RoomSettings;
import dev.dormouse.config.StaticRoomCatalog;
import dev.dormouse.room.RoomKey;
import dev.dormouse.crd.v1alpha1.WebSocketRoom;
import dev.dormouse.crd.v1alpha1.WebSocketRoomSpec;
import dev.dormouse.gateway.EdgeSettings;
import dev.dormouse.gateway.SecretFiles;
import dev.dormouse.local.RoomFiles;
import dev.dormouse.runtime.HandlerResolver;
import dev.dormouse.runtime.RoomLibraries;
import dev.dormouse.store.RedisConnector;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the {@code gateway} and {@code owner} roles from their environment (docs/architecture.md)
 * and runs them until SIGTERM, then drains. Without {@code DORMOUSE_OWNERS} / {@code DORMOUSE_ROOM}
 * they find rooms and owners in Kubernetes; with them, from static settings and room files.
 */
public final class Roles {

  private static final Logger log = LoggerFactory.getLogger(Roles.class);
  private static final Path SERVICE_ACCOUNT_NAMESPACE = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  /** A running role: what to stop, in order, once drained. */
  public interface Running extends AutoCloseable {
    void drain() throws InterruptedException;

    @Override
    void close();
  }

  private Roles() {
  }

  public static Running gateway(Environment env) throws IOException {
    return withAdmin(env, (bind, metrics, readyWhen) -> startGateway(env, bind, metrics, readyWhen));
  }

  public static Running owner(Environment env) throws IOException {
    return withAdmin(env, (bind, metrics, readyWhen) -> startOwner(env, bind, metrics, readyWhen));
  }

  /** A role being started: its admin port is open already; it says what {@code /readyz} checks once it serves. */
  private interface Starter {
    Running start(String bind, Metrics metrics, Consumer<BooleanSupplier> readyWhen) throws IOException;
  }

  /**
   * Opens the admin port before the role starts, so that {@code /healthz} answers while it starts
   * (listing rooms and owner pods may take a while) and {@code /readyz} says not ready until it serves.
   */
  private static Running withAdmin(Environment env, Starter role) throws IOException {
    Metrics metrics = new Metrics();
    String bind = env.get("DORMOUSE_BIND_ADDRESS", "0.0.0.0");
    AtomicReference<BooleanSupplier> ready = new AtomicReference<>(() -> false);
    AdminServer admin = new AdminServer(bind, env.port("DORMOUSE_ADMIN_PORT", 9090), metrics,
        () -> ready.get().getAsBoolean());
    admin.start();
    Running running;
    try {
      running = role.start(bind, metrics, ready::set);
    } catch (IOException | RuntimeException e) {
      admin.close();
      throw e;
    }
    return new Running() {
      @Override
      public void drain() throws InterruptedException {
        running.drain();
      }

      @Override
      public void close() {
        running.close();
        admin.close();
      }
    };
  }

  private static Running startGateway(Environment env, String bind, Metrics metrics,
      Consumer<BooleanSupplier> readyWhen) throws IOException {
    RedisConnector redis = RedisConnector.connect(env.required("REDIS_URL"));
    List<AutoCloseable> closing = new ArrayList<>();
    String namespace = env.get("DORMOUSE_NAMESPACE").orElseGet(Roles::ownNamespace);
    RoomCatalog catalog;
    OwnerDirectory directory;
    WakeRequester wake;
    if (env.get("DORMOUSE_OWNERS").isPresent()) {
      catalog = new StaticRoomCatalog(RoomFiles.load(Path.of(env.required("DORMOUSE_ROOMS_DIR")), namespace));
      directory = StaticOwnerDirectory.of(env.required("DORMOUSE_OWNERS"));
      wake = new NoWakeRequester();
    } else {
      KubernetesClient client = new KubernetesClientBuilder().build();
      String watched = env.get("DORMOUSE_NAMESPACE").orElse(null);
      Duration startTimeout = env.duration("DORMOUSE_START_TIMEOUT", Duration.ofSeconds(30));
      KubernetesRoomCatalog rooms = new KubernetesRoomCatalog(client, watched).start(startTimeout);
      KubernetesOwnerDirectory owners = new KubernetesOwnerDirectory(client, watched,
          env.port("DORMOUSE_LINK_PORT", 7070)).start(startTimeout);
      KubernetesWakeRequester requester = new KubernetesWakeRequester(client, KubernetesWakeRequester.DEFAULT_REPEAT_AFTER);
      closing.addAll(List.of(requester, owners, rooms, client));
      catalog = rooms;
      directory = owners;
      wake = requester;
    }
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    String gatewayId = env.get("DORMOUSE_GATEWAY_ID").orElseGet(() -> hostName() + "-"
        + UUID.randomUUID().toString().substring(0, 6));
    GatewayNode node = new GatewayNode(new GatewayNode.Options(gatewayId, bind, env.port("DORMOUSE_PORT", 8080),
        namespace, env.get("DORMOUSE_DEFAULT_ROOM", "example"), env.duration("DORMOUSE_WAKE_TIMEOUT",
        Duration.ofSeconds(60)), 16L << 20, env.secret("DORMOUSE_LINK_SECRET"), Duration.ofSeconds(2),
        env.duration("DORMOUSE_GATEWAY_DEAD_AFTER", Duration.ofSeconds(10)), edgeSettings(env),
        env.duration("DORMOUSE_OWNER_LINK_GRACE", GatewayNode.DEFAULT_OWNER_LINK_GRACE)), redis, catalog, directory, wake,
        new SecretFiles(Path.of(env.get("DORMOUSE_SECRETS_DIR", "/etc/dormouse/secrets"))), metrics, group).start();
    AtomicBoolean draining = new AtomicBoolean();
    readyWhen.accept(() -> redis.isConnected() && !draining.get());
    log.info("gateway {} serving namespace {} on {}", gatewayId, namespace, node.address());
    Duration drainTimeout = env.duration("DORMOUSE_DRAIN_TIMEOUT", Duration.ofSeconds(20));
    return new Running() {
      @Override
      public void drain() throws InterruptedException {
        draining.set(true);
        node.drain(drainTimeout);
      }

      @Override
      public void close() {
        node.close();
        closeAll(closing);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        redis.close();
      }
    };
  }

  private static Running startOwner(Environment env, String bind, Metrics metrics,
      Consumer<BooleanSupplier> readyWhen) throws IOException {
    RedisConnector redis = RedisConnector.connect(env.required("REDIS_URL"));
    HandlerResolver handlers = new HandlerResolver(RoomLibraries.load(Path.of(env.get("DORMOUSE_LIB_DIR",
        "/opt/dormouse/lib")), Roles.class.getClassLoader()));
    RoomCatalog catalog = env.get("DORMOUSE_ROOM").isPresent()
        ? new StaticRoomCatalog(List.of(roomFromSpec(env.required("DORMOUSE_ROOM"), env.required("DORMOUSE_ROOM_SPEC"),
            handlers)))
        : new StaticRoomCatalog(RoomFiles.load(Path.of(env.required("DORMOUSE_ROOMS_DIR")),
            env.get("DORMOUSE_NAMESPACE", "default"), handlers));
    String ownerId = env.get("DORMOUSE_OWNER_ID").orElseGet(Roles::hostName);
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    OwnerNode node = new OwnerNode(new OwnerNode.Options(ownerId,
        new InetSocketAddress(bind, env.port("DORMOUSE_LINK_PORT", 7070)), env.secret("DORMOUSE_LINK_SECRET"),
        env.duration("DORMOUSE_WAKE_TIMEOUT", Duration.ofSeconds(60)),
        env.duration("DORMOUSE_LEASE_TTL", Duration.ofSeconds(10)), Math.max(4, 2 * Runtime.getRuntime()
        .availableProcessors()), Duration.ofSeconds(5)), redis, catalog, handlers, metrics, group).start();
    readyWhen.accept(() -> redis.isConnected() && !node.draining());
    log.info("owner {} serving {} on link {}", ownerId, catalog.all().stream().map(RoomSettings::path).toList(),
        node.linkAddress());
    Duration drainTimeout = env.duration("DORMOUSE_DRAIN_TIMEOUT", Duration.ofSeconds(25));
    return new Running() {
      @Override
      public void drain() throws InterruptedException {
        node.drain(drainTimeout);
      }

      @Override
      public void close() {
        node.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        redis.close();
      }
    };
  }

  /** The gateway's own limits on client connections (docs/limits.md). */
  static EdgeSettings edgeSettings(Environment env) {
    return new EdgeSettings(
        env.duration(EdgeSettings.HANDSHAKE_TIMEOUT, EdgeSettings.DEFAULT_HANDSHAKE_TIMEOUT),
        env.duration(EdgeSettings.IDLE_TIMEOUT, EdgeSettings.DEFAULT_IDLE_TIMEOUT),
        env.duration(EdgeSettings.CLOSE_TIMEOUT, EdgeSettings.DEFAULT_CLOSE_TIMEOUT),
        env.positiveInt(EdgeSettings.MAX_PENDING_UPGRADES, EdgeSettings.DEFAULT_MAX_PENDING_UPGRADES),
        env.positiveInt(EdgeSettings.MAX_HEADER_BYTES, EdgeSettings.DEFAULT_MAX_HEADER_BYTES));
  }

  /** The room an owner pod serves, as the operator wrote it into the pod. */
  static RoomSettings roomFromSpec(String roomPath, String specJson, HandlerResolver handlers) {
    RoomKey room = RoomKey.parse(roomPath);
    WebSocketRoom resource = new WebSocketRoom();
    resource.setMetadata(new ObjectMetaBuilder().withNamespace(room.namespace()).withName(room.room()).build());
    try {
      resource.setSpec(new ObjectMapper().readValue(specJson, WebSocketRoomSpec.class));
    } catch (IOException e) {
      throw new Environment.BadSettingException("DORMOUSE_ROOM_SPEC is not a room spec: " + e.getMessage());
    }
    RoomSettings settings = RoomSettings.of(resource);
    handlers.resolve(settings.handler());
    return settings;
  }

  private static String ownNamespace() {
    try {
      return Files.isReadable(SERVICE_ACCOUNT_NAMESPACE) ? Files.readString(SERVICE_ACCOUNT_NAMESPACE).trim() : "default";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String hostName() {
    String fromEnv = System.getenv("HOSTNAME");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "dormouse";
    }
  }

  private static void closeAll(List<AutoCloseable> resources) {
    for (AutoCloseable resource : resources) {
      try {
        resource.close();
      } catch (Exception e) {
        log.warn("error while closing {}: {}", resource, e.toString());
      }
    }
  }
}
