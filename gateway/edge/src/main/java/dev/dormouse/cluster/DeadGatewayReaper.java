package dev.dormouse.cluster;

import dev.dormouse.admin.Metrics;
import dev.dormouse.contract.RedisKeys;
import dev.dormouse.link.CloseCodes;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.link.RoomEventSink;
import dev.dormouse.room.RoomKey;
import dev.dormouse.store.GatewayRecords;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes, in their rooms, the connections of gateways that died: a gateway whose heartbeat in
 * {@link RedisKeys#GATEWAYS} is older than {@code deadAfter} took its client sockets with it, so
 * each connection in its set gets a Close (1006, not clean) through the router to the room's owner,
 * which runs onClose and forgets it — no room lists a ghost. Runs in every gateway; the
 * {@link RedisKeys#REAPER_LOCK} lets one act at a time, and the holder keeps it while it lives so the
 * same connections are not closed twice by two gateways. A connection leaves the dead gateway's set
 * once its room has handled the close; the heartbeat goes when the set is empty.
 */
public final class DeadGatewayReaper implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DeadGatewayReaper.class);

  /** A close its room has not handled by then (owner waking for long, or gone) is offered again. */
  private static final Duration CLOSE_TIMEOUT = Duration.ofMinutes(1);

  private static final Duration REAPED_MARK_TTL = Duration.ofDays(1);

  /** The reason the room's onClose reads, with 1006 (abnormal: no closing handshake). */
  static final String REASON = "gateway lost";

  private final GatewayRecords records;
  private final Consumer<RoomKey> countOut;
  private final String gatewayId;
  private final RoomEventSink sink;
  private final Duration interval;
  private final Counter reaped;
  private final OutageLog outage = new OutageLog(LOG, "reaping dead gateways");

  /** Only used on the scheduler's thread. */
  private final HeartbeatJudge judge;

  /** Members (by set key and member) whose close is offered and not yet handled, not to offer twice. */
  private final Set<String> closing = ConcurrentHashMap.newKeySet();

  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "dormouse-gateway-reaper");
            thread.setDaemon(true);
            return thread;
          });

  /**
   * @param countOut counts a dead gateway's connection out of its instance's open connections, once
   *     its room has handled the close (the dead gateway never will)
   * @param gatewayId this gateway, never reaped by itself and the lock holder's name
   * @param sink the router, which takes each Close to the owner of its room
   * @param interval how often to look (a few seconds); the lock lives three intervals
   * @param deadAfter how old a heartbeat must be for its gateway to count as dead (e.g. 10 s)
   */
  public DeadGatewayReaper(
      GatewayRecords records,
      Consumer<RoomKey> countOut,
      String gatewayId,
      RoomEventSink sink,
      Metrics metrics,
      Duration interval,
      Duration deadAfter) {
    this.records = records;
    this.countOut = countOut;
    this.gatewayId = gatewayId;
    this.sink = sink;
    this.interval = interval;
    this.judge = new HeartbeatJudge(deadAfter, interval);
    this.reaped =
        Counter.builder("dormouse_gateway_lost_connections")
            .description("Connections of dead gateways closed in their rooms (1006)")
            .register(metrics.registry());
  }

  public DeadGatewayReaper start() {
    scheduler.scheduleWithFixedDelay(this::reapOnce, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  private void reapOnce() {
    try {
      if (records.holdReaperLock(gatewayId, interval.multipliedBy(3))) {
        Map<String, String> beats = records.heartbeats();
        for (String dead :
            judge.dead(beats, gatewayId, System.currentTimeMillis(), System.nanoTime())) {
          reap(dead, beats.get(dead));
        }
      } else {
        judge.interrupted();
      }
      outage.succeeded();
    } catch (RuntimeException e) {
      judge.interrupted();
      outage.failed(e);
    }
  }

  private void reap(String deadGateway, String lastBeat) {
    // Messages published to its connections meanwhile have no reader left.
    records.dropPublished(deadGateway);
    Set<String> members = records.connections(deadGateway);
    if (members.isEmpty()) {
      records.forgetHeartbeat(deadGateway, lastBeat);
      LOG.info("dead gateway {}: every connection closed in its room, forgotten", deadGateway);
      return;
    }
    // Should the gateway only have been paused, this tells it, when it beats again, which of its
    // sockets its rooms no longer know.
    records.markReaped(deadGateway, System.currentTimeMillis(), REAPED_MARK_TTL);
    int offered = 0;
    for (String member : members) {
      String pending = deadGateway + "\n" + member;
      // The members were read before a close just handled may have been removed: look again once
      // this member is ours, or its close would be offered twice.
      if (closing.add(pending)) {
        if (records.hasConnection(deadGateway, member)) {
          offerClose(deadGateway, member, pending);
          offered++;
        } else {
          closing.remove(pending);
        }
      }
    }
    if (offered > 0) {
      LOG.info(
          "gateway {} is dead (last heartbeat {}): closing {} of its connections in their rooms",
          deadGateway,
          Instant.ofEpochMilli(HeartbeatJudge.epochMillis(lastBeat)),
          offered);
    }
  }

  private void offerClose(String deadGateway, String member, String pending) {
    GatewayConnection connection;
    try {
      connection = GatewayConnection.parse(member);
    } catch (IllegalArgumentException e) {
      LOG.warn("dropping {} from the connections of {}: {}", member, deadGateway, e.getMessage());
      records
          .removeConnection(deadGateway, member)
          .whenComplete((removed, error) -> closing.remove(pending));
      return;
    }
    var close =
        new RoomEvent.Close(
            connection.key(),
            deadGateway,
            connection.connectionId(),
            CloseCodes.ABNORMAL,
            REASON,
            false,
            false,
            new CompletableFuture<>());
    if (!sink.offer(close)) {
      closing.remove(pending); // offered again on the next round
      return;
    }
    // Runs on whichever thread completes the close (the link's): only asynchronous calls here.
    close
        .done()
        .orTimeout(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (handled, failure) -> {
              if (failure != null) {
                LOG.warn(
                    "room {} did not handle the close of {} from dead gateway {}, offering it again: {}",
                    connection.key(),
                    connection.connectionId(),
                    deadGateway,
                    failure.toString());
                closing.remove(pending);
                return;
              }
              reaped.increment();
              records
                  .removeConnection(deadGateway, member)
                  .whenComplete(
                      (removed, error) -> {
                        // The dead gateway will never count its connection out: do it for it, once.
                        if (Boolean.TRUE.equals(removed)) {
                          countOut.accept(connection.key());
                        }
                        closing.remove(pending);
                      });
            });
  }

  /** Stops reaping and hands the lock on at once rather than after it expires. */
  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
      records.releaseReaperLock(gatewayId);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.debug("could not release the reaper lock; it expires by itself: {}", e.toString());
    }
  }
}
