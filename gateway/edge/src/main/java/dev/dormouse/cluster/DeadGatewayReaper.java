package dev.dormouse.cluster;

import dev.dormouse.admin.Metrics;
import dev.dormouse.contract.RedisKeys;
import dev.dormouse.link.CloseCodes;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.link.RoomEventSink;
import dev.dormouse.store.ConnectionCounts;
import dev.dormouse.store.RedisConnector;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
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

  /** Takes the lock, or extends it if this gateway holds it already. */
  private static final String HOLD_LOCK = """
      if redis.call('get', KEYS[1]) == ARGV[1] then
        redis.call('pexpire', KEYS[1], ARGV[2])
        return 1
      end
      if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
        return 1
      end
      return 0""";
  private static final String RELEASE_LOCK = """
      if redis.call('get', KEYS[1]) == ARGV[1] then
        return redis.call('del', KEYS[1])
      end
      return 0""";
  /** Removes a heartbeat only if unchanged: a gateway that was merely slow and beats again stays. */
  private static final String FORGET_GATEWAY = """
      if redis.call('hget', KEYS[1], ARGV[1]) == ARGV[2] then
        return redis.call('hdel', KEYS[1], ARGV[1])
      end
      return 0""";

  private final RedisConnector redis;
  private final ConnectionCounts counts;
  private final String gatewayId;
  private final RoomEventSink sink;
  private final Duration interval;
  private final Counter reaped;
  private final OutageLog outage = new OutageLog(LOG, "reaping dead gateways");
  /** Only used on the scheduler's thread. */
  private final HeartbeatJudge judge;
  /** Members (by set key and member) whose close is offered and not yet handled, not to offer twice. */
  private final Set<String> closing = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "dormouse-gateway-reaper");
    thread.setDaemon(true);
    return thread;
  });

  /**
   * @param gatewayId this gateway, never reaped by itself and the lock holder's name
   * @param sink the router, which takes each Close to the owner of its room
   * @param interval how often to look (a few seconds); the lock lives three intervals
   * @param deadAfter how old a heartbeat must be for its gateway to count as dead (e.g. 10 s)
   */
  public DeadGatewayReaper(RedisConnector redis, String gatewayId, RoomEventSink sink, Metrics metrics,
      Duration interval, Duration deadAfter) {
    this.redis = redis;
    this.counts = new ConnectionCounts(redis);
    this.gatewayId = gatewayId;
    this.sink = sink;
    this.interval = interval;
    this.judge = new HeartbeatJudge(deadAfter, interval);
    this.reaped = Counter.builder("dormouse_gateway_lost_connections")
        .description("Connections of dead gateways closed in their rooms (1006)")
        .register(metrics.registry());
  }

  public DeadGatewayReaper start() {
    scheduler.scheduleWithFixedDelay(this::reapOnce, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  private void reapOnce() {
    try {
      if (holdLock()) {
        Map<String, String> beats = redis.sync().hgetall(RedisKeys.GATEWAYS);
        for (String dead : judge.dead(beats, gatewayId, System.currentTimeMillis(), System.nanoTime())) {
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

  private boolean holdLock() {
    Long held = redis.sync().eval(HOLD_LOCK, ScriptOutputType.INTEGER, new String[] {RedisKeys.REAPER_LOCK},
        gatewayId, Long.toString(interval.toMillis() * 3));
    return held != null && held == 1;
  }

  private void reap(String deadGateway, String lastBeat) {
    String setKey = RedisKeys.gatewayConnections(deadGateway);
    Set<String> members = redis.sync().smembers(setKey);
    if (members.isEmpty()) {
      redis.sync().eval(FORGET_GATEWAY, ScriptOutputType.INTEGER, new String[] {RedisKeys.GATEWAYS},
          deadGateway, lastBeat);
      LOG.info("dead gateway {}: every connection closed in its room, forgotten", deadGateway);
      return;
    }
    // Should the gateway only have been paused, this tells it, when it beats again, which of its
    // sockets its rooms no longer know.
    redis.sync().set(RedisKeys.gatewayReaped(deadGateway), Long.toString(System.currentTimeMillis()),
        SetArgs.Builder.nx().px(REAPED_MARK_TTL.toMillis()));
    int offered = 0;
    for (String member : members) {
      String pending = setKey + "\n" + member;
      // The members were read before a close just handled may have been removed: look again once
      // this member is ours, or its close would be offered twice.
      if (closing.add(pending)) {
        if (redis.sync().sismember(setKey, member)) {
          offerClose(deadGateway, setKey, member, pending);
          offered++;
        } else {
          closing.remove(pending);
        }
      }
    }
    if (offered > 0) {
      LOG.info("gateway {} is dead (last heartbeat {}): closing {} of its connections in their rooms",
          deadGateway, Instant.ofEpochMilli(HeartbeatJudge.epochMillis(lastBeat)), offered);
    }
  }

  private void offerClose(String deadGateway, String setKey, String member, String pending) {
    GatewayConnection connection;
    try {
      connection = GatewayConnection.parse(member);
    } catch (IllegalArgumentException e) {
      LOG.warn("dropping {} from {}: {}", member, setKey, e.getMessage());
      redis.async().srem(setKey, member).whenComplete((n, error) -> closing.remove(pending));
      return;
    }
    var close = new RoomEvent.Close(connection.key(), deadGateway, connection.connectionId(),
        CloseCodes.ABNORMAL, REASON, false, false, new CompletableFuture<>());
    if (!sink.offer(close)) {
      closing.remove(pending); // offered again on the next round
      return;
    }
    // Runs on whichever thread completes the close (the link's): only asynchronous calls here.
    close.done().orTimeout(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).whenComplete((handled, failure) -> {
      if (failure != null) {
        LOG.warn("room {} did not handle the close of {} from dead gateway {}, offering it again: {}",
            connection.key(), connection.connectionId(), deadGateway, failure.toString());
        closing.remove(pending);
        return;
      }
      reaped.increment();
      redis.async().srem(setKey, member).whenComplete((removed, error) -> {
        // The dead gateway will never count its connection out: do it for it, once.
        if (removed != null && removed == 1L) {
          counts.closed(connection.key());
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
      redis.sync().eval(RELEASE_LOCK, ScriptOutputType.INTEGER, new String[] {RedisKeys.REAPER_LOCK}, gatewayId);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.debug("could not release the reaper lock; it expires by itself: {}", e.toString());
    }
  }
}
