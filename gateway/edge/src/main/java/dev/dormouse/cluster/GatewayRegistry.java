package dev.dormouse.cluster;

import dev.dormouse.contract.RedisKeys;
import dev.dormouse.room.RoomKey;
import dev.dormouse.store.GatewayRecords;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the other gateways that this one is alive and which connections it holds, so that when it
 * dies a {@link DeadGatewayReaper} elsewhere can close them in their rooms. Heartbeats go to the
 * {@link RedisKeys#GATEWAYS} hash; connections to this gateway's {@link RedisKeys#gatewayConnections}
 * set.
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
  private final Consumer<Instant> onReaped;
  private volatile boolean closed;

  /**
   * @param heartbeat how often to beat; well under the reapers' {@code deadAfter} (2 s against 10 s)
   * @param onReaped told, on the heartbeat's thread, when a reaper took this gateway for dead (it was
   *     paused or cut off from Redis for longer than {@code deadAfter}): the rooms of the connections
   *     it held then were told they are gone
   */
  public GatewayRegistry(
      GatewayRecords records, String gatewayId, Duration heartbeat, Consumer<Instant> onReaped) {
    this.records = records;
    this.gatewayId = gatewayId;
    this.heartbeat = heartbeat;
    this.onReaped = onReaped;
  }

  /**
   * Beats once before returning, so that no connection is recorded for a gateway that reapers cannot
   * see, then every {@code heartbeat}.
   */
  public GatewayRegistry start() {
    beat();
    scheduler.scheduleAtFixedRate(
        this::beat, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
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

  /** Forgets a connection; asynchronous, safe on an I/O thread. */
  public void connectionClosed(RoomKey key, String connectionId) {
    track(records.removeConnection(gatewayId, new GatewayConnection(key, connectionId).member()));
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

  private void beat() {
    try {
      records.beat(gatewayId, System.currentTimeMillis());
      heartbeatOutage.succeeded();
      Optional<Instant> reaped = records.takeReapedMark(gatewayId);
      if (reaped.isPresent()) {
        LOG.warn(
            "gateway {} was taken for dead at {}: closing the sockets its rooms were told are gone",
            gatewayId,
            reaped.get());
        onReaped.accept(reaped.get());
      }
    } catch (RuntimeException e) {
      heartbeatOutage.failed(e);
    }
  }

  /**
   * A clean stop: stops beating and removes this gateway's traces. Call it after the gateway has
   * closed its clients and told their rooms, since from then on no reaper will.
   */
  @Override
  public void close() {
    closed = true;
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
