package dev.dormouse.cluster;

import dev.dormouse.contract.RedisKeys;
import dev.dormouse.room.RoomKey;
import dev.dormouse.store.GatewayRecords;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the other gateways that this one is alive and which connections it holds, so that when it
 * dies a {@link DeadGatewayReaper} elsewhere can close them in their rooms. Heartbeats go to the
 * {@link RedisKeys#GATEWAYS} hash; connections to this gateway's {@link RedisKeys#gatewayConnections}
 * set. A gateway that cannot renew its heartbeat fences itself before the reapers may take it for
 * dead: once its {@link HeartbeatLease} runs out it stops serving, until a beat succeeds again.
 */
public final class GatewayRegistry implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayRegistry.class);

  private final GatewayRecords records;
  private final String gatewayId;
  private final Duration heartbeat;
  private final OutageLog heartbeatOutage = new OutageLog(LOG, "gateway heartbeat");
  private final OutageLog connectionsOutage =
      new OutageLog(LOG, "recording the gateway's connections");
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "dormouse-gateway-heartbeat");
            thread.setDaemon(true);
            return thread;
          });
  private final ScheduledExecutorService fenceWatch =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "dormouse-gateway-fence");
            thread.setDaemon(true);
            return thread;
          });
  private final Listener listener;
  private final HeartbeatLease lease;
  private final AtomicBoolean fenced = new AtomicBoolean();
  private final Object fence = new Object();
  private volatile boolean closed;

  /** What the gateway must do about its standing in the registry. */
  public interface Listener {

    /**
     * A reaper took this gateway for dead (it was paused, or cut off from Redis for longer than its
     * fence allowed): the rooms of the connections it held then were told they are gone. Called on
     * the heartbeat's thread.
     */
    void reaped(Instant reapedAt);

    /**
     * No heartbeat was acknowledged for the fence's time: stop serving. Called on its own thread,
     * again on every check until {@link #serving}, so it must be idempotent.
     */
    default void fenced() {}

    /** A heartbeat succeeded after {@link #fenced}: serve again. Called on the heartbeat's thread. */
    default void serving() {}
  }

  /**
   * @param heartbeat how often to beat; well under the reapers' {@code deadAfter} (2 s against 10 s)
   * @param fenceAfter how long after the send time of its last acknowledged beat the gateway fences
   *     itself; under the reapers' {@code deadAfter} by enough to close its clients first
   */
  public GatewayRegistry(
      GatewayRecords records,
      String gatewayId,
      Duration heartbeat,
      Duration fenceAfter,
      Listener listener) {
    this.records = records;
    this.gatewayId = gatewayId;
    this.heartbeat = heartbeat;
    this.listener = listener;
    this.lease = new HeartbeatLease(fenceAfter, System::nanoTime);
  }

  /**
   * Beats once before returning, so that no connection is recorded for a gateway that reapers cannot
   * see, then every {@code heartbeat}.
   */
  public GatewayRegistry start() {
    beat();
    scheduler.scheduleAtFixedRate(
        this::beat, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
    // Its own thread: the heartbeat's may hang for a command's timeout on a Redis that vanished.
    long watch = Math.max(1, heartbeat.toMillis() / 5);
    fenceWatch.scheduleWithFixedDelay(this::fenceIfExpired, watch, watch, TimeUnit.MILLISECONDS);
    return this;
  }

  public String gatewayId() {
    return gatewayId;
  }

  /** Records a connection; asynchronous, safe on an I/O thread. */
  public void connectionOpened(RoomKey key, String connectionId) {
    if (!closed) {
      track(records.addConnection(gatewayId, new GatewayConnection(key, connectionId).member()));
    }
  }

  /**
   * Forgets a connection; asynchronous, safe on an I/O thread.
   *
   * @return whether the connection was still recorded (a reaper may have removed it first)
   */
  public CompletionStage<Boolean> connectionClosed(RoomKey key, String connectionId) {
    if (closed) {
      // close() forgot the gateway's records wholesale, and the Redis client may be stopped too:
      // sockets a shutdown's drain gave up on still close after it.
      return CompletableFuture.completedFuture(false);
    }
    CompletionStage<Boolean> removed =
        records.removeConnection(gatewayId, new GatewayConnection(key, connectionId).member());
    track(removed);
    return removed;
  }

  private void track(CompletionStage<?> command) {
    command.whenComplete(
        (changed, error) -> {
          if (error != null) {
            connectionsOutage.failed(error);
          } else {
            connectionsOutage.succeeded();
          }
        });
  }

  /** True while this gateway has fenced itself and no heartbeat has succeeded since. */
  public boolean isFenced() {
    return fenced.get();
  }

  private void beat() {
    try {
      long sent = lease.now();
      records.beat(gatewayId, System.currentTimeMillis());
      lease.acknowledged(sent);
      heartbeatOutage.succeeded();
      Optional<Instant> reaped = records.takeReapedMark(gatewayId);
      if (reaped.isPresent()) {
        LOG.warn(
            "gateway {} was taken for dead at {}: closing the sockets its rooms were told are gone",
            gatewayId,
            reaped.get());
        listener.reaped(reaped.get());
      }
      unfenceIfRenewed();
    } catch (RuntimeException e) {
      heartbeatOutage.failed(e);
    }
  }

  private void unfenceIfRenewed() {
    synchronized (fence) {
      if (!lease.expired() && fenced.compareAndSet(true, false)) {
        LOG.info("gateway {} renewed its heartbeat: serving again", gatewayId);
        listener.serving();
      }
    }
  }

  /** Under the same lock as {@link #unfenceIfRenewed}, or a fence could land after the renewal. */
  private void fenceIfExpired() {
    synchronized (fence) {
      if (closed || !lease.expired()) {
        return;
      }
      if (fenced.compareAndSet(false, true)) {
        LOG.warn(
            "gateway {} could not renew its heartbeat: closing its clients with 1013 before the"
                + " other gateways take it for dead",
            gatewayId);
      }
      // Again on every check while fenced: an upgrade that was under way when the fence came up is
      // closed too.
      try {
        listener.fenced();
      } catch (RuntimeException e) {
        LOG.error("fencing gateway {} failed", gatewayId, e);
      }
    }
  }

  /**
   * A clean stop: stops beating and removes this gateway's traces. Call it after the gateway has
   * closed its clients and told their rooms, since from then on no reaper will.
   */
  @Override
  public void close() {
    closed = true;
    fenceWatch.shutdownNow();
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
      records.forget(gatewayId);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.warn(
          "could not remove gateway {} from Redis; a reaper will: {}", gatewayId, e.toString());
    }
  }
}
