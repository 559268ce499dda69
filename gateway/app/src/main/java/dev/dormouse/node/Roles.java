package dev.dormouse.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dormouse.admin.AdminAccess;
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
import dev.dormouse.crd.v1alpha1.WebSocketRoom;
import dev.dormouse.crd.v1alpha1.WebSocketRoomSpec;
import dev.dormouse.gateway.SecretFiles;
import dev.dormouse.local.RoomFiles;
import dev.dormouse.publish.PublishToken;
import dev.dormouse.room.RoomKey;
import dev.dormouse.runtime.HandlerResolver;
import dev.dormouse.store.RedisConnector;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the {@code gateway} and {@code owner} roles from their settings ({@link GatewaySettings},
 * {@link OwnerSettings}) and runs them until SIGTERM, then drains. Without {@code DORMOUSE_OWNERS} /
 * {@code DORMOUSE_ROOM} they find rooms and owners in Kubernetes; with them, from static settings and
 * room files.
 */
public final class Roles {

  private static final Logger log = LoggerFactory.getLogger(Roles.class);
  private static final Path SERVICE_ACCOUNT_NAMESPACE =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  /** A running role: what to stop, in order, once drained. */
  public interface Running extends AutoCloseable {
    void drain() throws InterruptedException;

    @Override
    void close();
  }

  private Roles() {}

  public static Running gateway(GatewaySettings settings) throws IOException {
    return withAdmin(
        settings.role(),
        (metrics, readyWhen, admin) -> startGateway(settings, metrics, readyWhen, admin));
  }

  public static Running owner(OwnerSettings settings) throws IOException {
    return withAdmin(
        settings.role(), (metrics, readyWhen, admin) -> startOwner(settings, metrics, readyWhen));
  }

  /**
   * A role being started: its admin port is open already; it says what {@code /readyz} checks once
   * it serves, and may mount what else it serves there.
   */
  private interface Starter {
    Running start(Metrics metrics, Consumer<BooleanSupplier> readyWhen, AdminServer admin)
        throws IOException;
  }

  /**
   * Opens the admin port before the role starts, so that {@code /healthz} answers while it starts
   * (listing rooms and owner pods may take a while) and {@code /readyz} says not ready until it serves.
   */
  private static Running withAdmin(RoleSettings settings, Starter role) throws IOException {
    Metrics metrics = new Metrics();
    AtomicReference<BooleanSupplier> ready = new AtomicReference<>(() -> false);
    AdminServer admin =
        new AdminServer(
            settings.bindAddress(),
            settings.adminPort(),
            metrics,
            () -> ready.get().getAsBoolean());
    admin.start();
    Running running;
    try {
      running = role.start(metrics, ready::set, admin);
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

  private static Running startGateway(
      GatewaySettings settings,
      Metrics metrics,
      Consumer<BooleanSupplier> readyWhen,
      AdminServer admin)
      throws IOException {
    RoleSettings role = settings.role();
    RedisConnector redis = RedisConnector.connect(role.redisUrl());
    List<AutoCloseable> closing = new ArrayList<>();
    String namespace = settings.namespace().orElseGet(Roles::ownNamespace);
    RoomCatalog catalog;
    OwnerDirectory directory;
    WakeRequester wake;
    if (settings.staticCluster().isPresent()) {
      GatewaySettings.StaticCluster cluster = settings.staticCluster().get();
      catalog = new StaticRoomCatalog(RoomFiles.load(cluster.roomsDir(), namespace));
      directory = new StaticOwnerDirectory(cluster.owners());
      wake = new NoWakeRequester();
    } else {
      KubernetesClient client = new KubernetesClientBuilder().build();
      String watched = settings.namespace().orElse(null);
      KubernetesRoomCatalog rooms =
          new KubernetesRoomCatalog(client, watched).start(settings.startTimeout());
      KubernetesOwnerDirectory owners =
          new KubernetesOwnerDirectory(client, watched, role.linkPort())
              .start(settings.startTimeout());
      KubernetesWakeRequester requester =
          new KubernetesWakeRequester(client, KubernetesWakeRequester.DEFAULT_REPEAT_AFTER);
      closing.addAll(List.of(requester, owners, rooms, client));
      catalog = rooms;
      directory = owners;
      wake = requester;
    }
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    GatewayNode node =
        new GatewayNode(
                new GatewayNode.Options(
                    settings.gatewayId(),
                    role.bindAddress(),
                    settings.port(),
                    namespace,
                    settings.defaultRoom(),
                    role.wakeTimeout(),
                    GatewaySettings.OUTBOUND_LIMIT_BYTES,
                    role.linkSecret(),
                    GatewaySettings.HEARTBEAT,
                    settings.deadAfter(),
                    settings.edge(),
                    settings.ownerLinkGrace()),
                redis,
                catalog,
                directory,
                wake,
                new SecretFiles(settings.secretsDir()),
                metrics,
                group)
            .start();
    servePublishApi(node, settings.publish());
    node.serveAdmin(
        admin, AdminAccess.cluster(settings.adminToken(), GatewaySettings.ADMIN_OFF_HINT));
    if (settings.adminToken().isEmpty()) {
      log.info("admin page and API off: {}", GatewaySettings.ADMIN_OFF_HINT);
    }
    AtomicBoolean draining = new AtomicBoolean();
    readyWhen.accept(() -> redis.isConnected() && !draining.get() && !node.isFenced());
    log.info(
        "gateway {} serving namespace {} on {}", settings.gatewayId(), namespace, node.address());
    return new Running() {
      @Override
      public void drain() throws InterruptedException {
        draining.set(true);
        node.drain(settings.drainTimeout());
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

  /** The publish API is for backends holding its token: with none configured it is not served. */
  public static void servePublishApi(GatewayNode node, Optional<GatewaySettings.Publish> publish) {
    if (publish.isEmpty()) {
      log.info(
          "publish API off: set {} or {}_FILE to serve it",
          GatewaySettings.PUBLISH_TOKEN,
          GatewaySettings.PUBLISH_TOKEN);
      return;
    }
    node.servePublishApi(publish.get().port(), new PublishToken(publish.get().token()));
  }

  private static Running startOwner(
      OwnerSettings settings, Metrics metrics, Consumer<BooleanSupplier> readyWhen)
      throws IOException {
    RoleSettings role = settings.role();
    RedisConnector redis = RedisConnector.connect(role.redisUrl(), settings.leaseReplicas());
    HandlerResolver handlers =
        HandlerResolver.forLibrary(settings.libDir(), Roles.class.getClassLoader());
    RoomCatalog catalog = new StaticRoomCatalog(rooms(settings.rooms(), handlers));
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    OwnerNode node =
        new OwnerNode(
                new OwnerNode.Options(
                    settings.ownerId(),
                    new InetSocketAddress(role.bindAddress(), role.linkPort()),
                    role.linkSecret(),
                    role.wakeTimeout(),
                    settings.leaseTtl(),
                    OwnerSettings.roomThreads(),
                    OwnerSettings.ACTIVITY_EVERY),
                redis,
                catalog,
                handlers,
                metrics,
                group)
            .start();
    readyWhen.accept(() -> redis.isConnected() && !node.draining());
    log.info(
        "owner {} serving {} on link {}",
        settings.ownerId(),
        catalog.all().stream().map(RoomSettings::path).toList(),
        node.linkAddress());
    node.ready();
    return new Running() {
      @Override
      public void drain() throws InterruptedException {
        node.drain(settings.drainTimeout());
      }

      @Override
      public void close() {
        node.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        redis.close();
      }
    };
  }

  private static List<RoomSettings> rooms(OwnerSettings.Rooms rooms, HandlerResolver handlers)
      throws IOException {
    if (rooms instanceof OwnerSettings.AssignedRoom assigned) {
      return List.of(roomFromSpec(assigned.roomPath(), assigned.specJson(), handlers));
    }
    OwnerSettings.RoomFilesDir files = (OwnerSettings.RoomFilesDir) rooms;
    return RoomFiles.load(files.dir(), files.namespace(), handlers);
  }

  /** The room an owner pod serves, as the operator wrote it into the pod. */
  static RoomSettings roomFromSpec(String roomPath, String specJson, HandlerResolver handlers) {
    RoomKey room = RoomKey.parse(roomPath);
    WebSocketRoom resource = new WebSocketRoom();
    resource.setMetadata(
        new ObjectMetaBuilder().withNamespace(room.namespace()).withName(room.room()).build());
    try {
      resource.setSpec(new ObjectMapper().readValue(specJson, WebSocketRoomSpec.class));
    } catch (IOException e) {
      throw new BadSettingException(
          OwnerSettings.ROOM_SPEC + " is not a room spec: " + e.getMessage());
    }
    RoomSettings settings = RoomSettings.of(resource);
    handlers.check(settings.handler());
    return settings;
  }

  private static String ownNamespace() {
    try {
      return Files.isReadable(SERVICE_ACCOUNT_NAMESPACE)
          ? Files.readString(SERVICE_ACCOUNT_NAMESPACE).trim()
          : "default";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
