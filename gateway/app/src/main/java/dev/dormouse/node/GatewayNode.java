package dev.dormouse.node;

import dev.dormouse.admin.AdminAccess;
import dev.dormouse.admin.AdminPage;
import dev.dormouse.admin.AdminServer;
import dev.dormouse.admin.Metrics;
import dev.dormouse.adminapi.AdminApi;
import dev.dormouse.adminapi.InstanceCommands;
import dev.dormouse.adminapi.InstanceStates;
import dev.dormouse.alarms.AlarmWatcher;
import dev.dormouse.cluster.DeadGatewayReaper;
import dev.dormouse.cluster.GatewayRegistry;
import dev.dormouse.cluster.OwnerDirectory;
import dev.dormouse.cluster.OwnerEndpoint;
import dev.dormouse.cluster.WakeRequester;
import dev.dormouse.config.RoomCatalog;
import dev.dormouse.contract.ControlMessage;
import dev.dormouse.contract.RedisKeys;
import dev.dormouse.gateway.ClientConnections;
import dev.dormouse.gateway.EdgeSettings;
import dev.dormouse.gateway.GatewayServer;
import dev.dormouse.gateway.RoomRequests;
import dev.dormouse.gateway.SecretFiles;
import dev.dormouse.link.Refusal;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.link.wire.LinkClient;
import dev.dormouse.publish.PublishServer;
import dev.dormouse.publish.PublishToken;
import dev.dormouse.publish.PublishedMessages;
import dev.dormouse.room.RoomKey;
import dev.dormouse.routing.OwnerLink;
import dev.dormouse.routing.OwnerRouter;
import dev.dormouse.routing.UnreachableHolders;
import dev.dormouse.store.AutoResponseTimes;
import dev.dormouse.store.ConnectionCounts;
import dev.dormouse.store.GatewayRecords;
import dev.dormouse.store.PublishStreams;
import dev.dormouse.store.RedisAlarmIndex;
import dev.dormouse.store.RedisConnectionRecords;
import dev.dormouse.store.RedisConnector;
import dev.dormouse.store.RedisGatewayRecords;
import dev.dormouse.store.RedisInstanceHistory;
import dev.dormouse.store.RedisLeaseHolders;
import dev.dormouse.store.RedisPublishStreams;
import dev.dormouse.store.RedisRoomInspection;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway role: client sockets on Undertow, each room event routed to its owner over that
 * owner's link, the gateway registered in Redis, dead gateways' connections reaped and due alarms
 * raised.
 */
public final class GatewayNode implements AutoCloseable {

  /**
   * The gateway role's settings.
   *
   * @param ownerLinkGrace how long an owner's link may be down before its keys move to the other owners
   */
  public record Options(
      String gatewayId,
      String host,
      int port,
      String namespace,
      String defaultRoom,
      Duration wakeTimeout,
      long outboundLimitBytes,
      byte[] linkSecret,
      Duration heartbeat,
      Duration deadAfter,
      EdgeSettings edge,
      Duration ownerLinkGrace) {

    public Options(
        String gatewayId,
        String host,
        int port,
        String namespace,
        String defaultRoom,
        Duration wakeTimeout,
        long outboundLimitBytes,
        byte[] linkSecret,
        Duration heartbeat,
        Duration deadAfter,
        EdgeSettings edge) {
      this(
          gatewayId,
          host,
          port,
          namespace,
          defaultRoom,
          wakeTimeout,
          outboundLimitBytes,
          linkSecret,
          heartbeat,
          deadAfter,
          edge,
          GatewaySettings.DEFAULT_OWNER_LINK_GRACE);
    }
  }

  /** An owner's link as routing sees it. */
  private record RoutedLink(LinkClient client) implements OwnerLink {

    @Override
    public boolean isReady() {
      return client.isReady();
    }

    @Override
    public boolean offer(RoomEvent event) {
      return client.offer(event);
    }

    @Override
    public boolean isDraining() {
      return client.isDraining();
    }

    @Override
    public boolean isPaused() {
      return client.isPaused();
    }

    @Override
    public long notReadySinceNanos() {
      return client.notReadySinceNanos();
    }
  }

  private final ScheduledExecutorService timers =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "gateway-timers");
            t.setDaemon(true);
            return t;
          });
  private final ConcurrentHashMap<OwnerEndpoint, RoutedLink> links = new ConcurrentHashMap<>();
  private static final Logger log = LoggerFactory.getLogger(GatewayNode.class);

  private final Options options;
  private final RedisConnector redis;
  private final OwnerDirectory directory;
  private final EventLoopGroup group;
  private final ClientConnections connections;
  private final OwnerRouter router;
  private final GatewayRegistry registry;
  private final DeadGatewayReaper reaper;
  private final GatewayServer server;
  private final UnreachableHolders unreachableHolders;
  private final RoomCatalog catalog;
  private final Metrics metrics;
  private final PublishStreams publishStreams;
  private final PublishedMessages publishedMessages;
  private volatile PublishServer publishApi;
  private final RoomRequests requests;
  private final AlarmWatcher alarms;

  public GatewayNode(
      Options options,
      RedisConnector redis,
      RoomCatalog catalog,
      OwnerDirectory directory,
      WakeRequester wake,
      SecretFiles secrets,
      Metrics metrics,
      EventLoopGroup group) {
    this.options = options;
    this.redis = redis;
    this.directory = directory;
    this.group = group;
    this.catalog = catalog;
    this.metrics = metrics;
    GatewayRecords records = new RedisGatewayRecords(redis);
    ConnectionCounts counts = new ConnectionCounts(redis);
    registry =
        new GatewayRegistry(
            records,
            options.gatewayId(),
            options.heartbeat(),
            GatewaySettings.selfFenceAfter(options.deadAfter()),
            new GatewayRegistry.Listener() {
              @Override
              public void reaped(Instant reapedAt) {
                connections.closeReaped(reapedAt);
              }

              @Override
              public void fenced() {
                server.fence();
              }

              @Override
              public void serving() {
                server.unfence();
              }
            });
    connections =
        new ClientConnections(
            options.gatewayId(),
            options.outboundLimitBytes(),
            counts,
            metrics,
            new ClientConnections.Tracker() {
              @Override
              public void opened(RoomKey key, String connectionId) {
                registry.connectionOpened(key, connectionId);
              }

              @Override
              public CompletionStage<Boolean> closed(RoomKey key, String connectionId) {
                return registry.connectionClosed(key, connectionId);
              }
            });
    router =
        new OwnerRouter(
            options.gatewayId(),
            catalog,
            directory,
            this::link,
            wake,
            (gateway, connectionId, code, reason) ->
                connections.closeByGateway(connectionId, code, reason),
            metrics,
            timers,
            options.wakeTimeout(),
            options.ownerLinkGrace(),
            System::nanoTime);
    alarms =
        new AlarmWatcher(
            new RedisAlarmIndex(redis),
            catalog,
            router,
            options.gatewayId(),
            metrics,
            System::currentTimeMillis);
    reaper =
        new DeadGatewayReaper(
            records,
            counts::closed,
            options.gatewayId(),
            router,
            metrics,
            options.heartbeat(),
            options.deadAfter());
    unreachableHolders =
        new UnreachableHolders(
            connections::roomKeys,
            new RedisLeaseHolders(redis),
            this::linksByOwner,
            System::nanoTime,
            UnreachableHolders.AFTER,
            key -> connections.closeKey(key, Refusal.OWNER_UNREACHABLE));
    requests =
        new RoomRequests(
            catalog,
            router,
            options.gatewayId(),
            timers,
            options.wakeTimeout(),
            options.edge().maxPendingUpgrades());
    server =
        new GatewayServer(
            new GatewayServer.Options(
                options.host(),
                options.port(),
                options.namespace(),
                options.defaultRoom(),
                options.edge()),
            catalog,
            router,
            connections,
            new AutoResponseTimes(redis),
            secrets,
            metrics,
            requests);
    publishStreams = new RedisPublishStreams(redis);
    publishedMessages =
        new PublishedMessages(publishStreams, options.gatewayId(), connections, metrics);
  }

  private OwnerLink link(OwnerEndpoint owner) {
    return links.computeIfAbsent(
        owner,
        endpoint -> {
          LinkClient created =
              new LinkClient(
                  options.gatewayId(),
                  endpoint.linkAddress(),
                  options.linkSecret(),
                  new OwnerFacingSink(endpoint, connections, router, requests),
                  group,
                  new LinkClient.Listener() {
                    @Override
                    public void ready(String ownerId) {
                      router.retryAll();
                    }

                    @Override
                    public void lost(List<RoomEvent.Incoming> unhandled) {
                      router.lost(unhandled);
                    }

                    @Override
                    public void draining(String ownerId) {
                      router.ownerLeaving(endpoint);
                    }

                    @Override
                    public void paused(String ownerId) {
                      router.ownerLeaving(endpoint);
                    }

                    @Override
                    public void serving(String ownerId) {
                      router.retryAll();
                    }
                  });
          created.start();
          return new RoutedLink(created);
        });
  }

  private Map<String, OwnerLink> linksByOwner() {
    Map<String, OwnerLink> byOwner = new HashMap<>();
    links.forEach((endpoint, link) -> byOwner.put(endpoint.ownerId(), link));
    return byOwner;
  }

  /**
   * Links to every owner, ready or starting, of every room this gateway holds sockets in, not only
   * when it has an event to send: a gateway whose clients only listen must still hear a new owner's
   * messages, and a starting owner counts in the ring only once its link is up.
   */
  private void linkOwnersOfHeldRooms() {
    for (RoomKey key : connections.roomKeys()) {
      for (OwnerEndpoint owner : directory.owners(key.namespace(), key.room()).all()) {
        link(owner);
      }
    }
  }

  public GatewayNode start() {
    redis.subscribe(RedisKeys.CONTROL_CHANNEL, this::control);
    directory.addListener(this::linkOwnersOfHeldRooms);
    timers.scheduleWithFixedDelay(this::linkOwnersOfHeldRooms, 1, 1, TimeUnit.SECONDS);
    timers.scheduleWithFixedDelay(unreachableHolders::check, 2, 2, TimeUnit.SECONDS);
    registry.start();
    reaper.start();
    publishedMessages.start();
    alarms.start();
    server.start();
    return this;
  }

  /**
   * Serves the publish API on {@code port} of the gateway's address, for callers with {@code token};
   * every gateway delivers published messages to its clients whether it serves the API or not.
   */
  public InetSocketAddress servePublishApi(int port, PublishToken token) {
    publishApi =
        new PublishServer(
                new PublishServer.Options(options.host(), port, options.namespace(), token),
                catalog,
                new RedisConnectionRecords(redis),
                publishStreams,
                requests,
                metrics)
            .start();
    return publishApi.address();
  }

  /**
   * Serves the admin page and its API ({@code docs/admin.md}) on the role's admin port, to whom
   * {@code access} lets in.
   */
  public void serveAdmin(AdminServer admin, AdminAccess access) {
    admin.mount(
        AdminApi.PREFIX,
        new AdminApi(
            access,
            new InstanceStates(
                catalog, new RedisRoomInspection(redis), new RedisInstanceHistory(redis), router),
            new InstanceCommands(router, options.gatewayId())));
    admin.mount("/", new AdminPage(access));
  }

  /** The operator deleted a room: its clients are told, as on a gateway shutdown, with 1001. */
  private void control(String text) {
    ControlMessage message;
    try {
      message = ControlMessage.decode(text);
    } catch (IllegalArgumentException e) {
      log.warn("ignoring control message: {}", e.getMessage());
      return;
    }
    if (ControlMessage.ROOM_DELETED.equals(message.type())) {
      RoomKey room = RoomKey.parse(message.roomPath());
      log.info("room {} deleted: closing its clients", message.roomPath());
      router.roomDeleted(room.namespace(), room.room());
      connections.closeRoom(room.namespace(), room.room());
    }
  }

  public InetSocketAddress address() {
    return server.address();
  }

  /** True while this gateway, unable to renew its heartbeat, has stopped serving. */
  public boolean isFenced() {
    return registry.isFenced();
  }

  public ClientConnections connections() {
    return connections;
  }

  public String gatewayId() {
    return options.gatewayId();
  }

  /** Clients get 1001 and their rooms close events; returns when they are gone or the time is up. */
  public void drain(Duration timeout) throws InterruptedException {
    server.drain(timeout);
  }

  @Override
  public void close() {
    if (publishApi != null) {
      publishApi.close();
    }
    alarms.close();
    server.close();
    reaper.close();
    registry.close();
    links.values().forEach(link -> link.client().close());
    timers.shutdownNow();
    publishedMessages.close();
    publishStreams.close();
  }
}
