package dev.dormouse.node;

import dev.dormouse.admin.Metrics;
import dev.dormouse.config.RoomCatalog;
import dev.dormouse.link.RoomEventSink;
import dev.dormouse.link.wire.LinkServer;
import dev.dormouse.runtime.ActivityPublisher;
import dev.dormouse.runtime.HandlerResolver;
import dev.dormouse.runtime.RoomRuntime;
import dev.dormouse.store.RedisActivityReports;
import dev.dormouse.store.RedisConnector;
import dev.dormouse.store.RoomStores;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owner role: runs room code for the gateways that connect to its link, one live instance per
 * room key under a Redis lease, and tells the operator how busy it is.
 */
public final class OwnerNode implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OwnerNode.class);

  /** The owner role's settings. */
  public record Options(
      String ownerId,
      InetSocketAddress linkBind,
      byte[] linkSecret,
      Duration wakeTimeout,
      Duration leaseTtl,
      int threads,
      Duration activityEvery) {}

  private final RoomRuntime runtime;
  private final LinkServer link;
  private final ActivityPublisher activity;
  private final StartClock startClock;
  private volatile boolean draining;

  public OwnerNode(
      Options options,
      RedisConnector redis,
      RoomCatalog catalog,
      HandlerResolver handlers,
      Metrics metrics,
      EventLoopGroup group) {
    // The link hands events to the runtime, the runtime answers through the link: tie the knot
    // once.
    RoomRuntime[] owner = new RoomRuntime[1];
    startClock = new StartClock(options.ownerId());
    RoomEventSink toRuntime =
        event -> {
          startClock.event();
          return owner[0].offer(event);
        };
    link =
        new LinkServer(
            options.ownerId(), options.linkBind(), options.linkSecret(), toRuntime, group);
    runtime =
        owner[0] =
            new RoomRuntime(
                options.ownerId(),
                catalog,
                handlers,
                RoomStores.over(redis, options.leaseTtl()),
                link.clientSink(),
                metrics,
                options.threads(),
                options.wakeTimeout(),
                link::gatewayCount);
    // Cut off from Redis, the owner cannot keep its leases: its gateways route elsewhere until
    // it is back. A drain is for good (the link ignores a resume after it).
    runtime
        .store()
        .listen(
            cutOff -> {
              if (cutOff) {
                link.pause();
              } else {
                link.resume();
              }
            });
    activity =
        new ActivityPublisher(
            new RedisActivityReports(redis), options.ownerId(), runtime, options.activityEvery());
    metrics.gauge("dormouse_link_gateways", "Gateways linked to this owner", link::gatewayCount);
    metrics.gauge(
        "dormouse_owner_redis_cut_off",
        "1 while Redis has not answered this owner for 0.3 of the lease TTL: out of the rings",
        () -> runtime.store().cutOff() ? 1 : 0);
    metrics.gauge(
        "dormouse_link_refused_peers",
        "Link peers refused for a failed handshake (total)",
        link::refusedPeers);
    metrics.gauge(
        "dormouse_owner_ready_seconds",
        "Seconds from this owner's JVM start to Ready (-1 before): a wake from zero waits for it",
        startClock::readySeconds);
    metrics.gauge(
        "dormouse_link_dropped_commands",
        "Commands for gateways not linked (total)",
        link::droppedCommands);
  }

  /**
   * Opens the link, last: a gateway may link to this owner before its pod is Ready and routes to it
   * from the handshake on, so by now the rooms are loaded, the runtime is built and Redis was reached
   * (the connector throws otherwise). Cut off from Redis later, the link says PAUSED, to gateways
   * linked then and to those that link meanwhile.
   */
  public OwnerNode start() throws IOException {
    link.start();
    log.info("owner link listening on {}", link.address());
    return this;
  }

  /** Logs the time from JVM start to now, once the role's {@code /readyz} says ready. */
  public void ready() {
    startClock.ready();
  }

  public InetSocketAddress linkAddress() {
    return link.address();
  }

  public RoomRuntime runtime() {
    return runtime;
  }

  public boolean draining() {
    return draining;
  }

  /**
   * Leaves the ring: tells every linked gateway to route elsewhere (they fence what they sent here),
   * takes no new rooms, evicts the ones in memory (state in Redis, leases released) and hands back
   * what arrives meanwhile. Returns when every linked gateway has released this owner (it sends
   * nothing more and waits for no answer) and nothing is left in memory, or the time is up. Empty
   * mailboxes alone are not enough: a gateway may still be sending, and whatever it sent to an owner
   * that then exits would end its senders with 1013.
   */
  public void drain(Duration timeout) throws InterruptedException {
    draining = true;
    link.drain();
    runtime.drain();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!(link.released() && runtime.drained()) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    if (!(link.released() && runtime.drained())) {
      log.warn(
          "drain timed out after {}: gateways released {}, instances in memory {}",
          timeout,
          link.released(),
          runtime.activeInstances());
    }
  }

  @Override
  public void close() {
    activity.close();
    link.close();
    runtime.close();
  }
}
