package dev.dormouse.store;

import dev.dormouse.contract.RedisKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * What the gateways keep in Redis about themselves: heartbeats ({@link RedisKeys#GATEWAYS}), the
 * connections each holds ({@link RedisKeys#gatewayConnections}, members as its registry writes them),
 * the mark a reaper leaves on a gateway it took for dead ({@link RedisKeys#gatewayReaped}), and the
 * lock that lets one reaper act at a time ({@link RedisKeys#REAPER_LOCK}). Synchronous calls throw
 * {@link StoreUnavailableException} when Redis cannot answer; asynchronous ones complete with it.
 */
public interface GatewayRecords {

  /** Writes the gateway's heartbeat: epoch millis, as text. */
  void beat(String gatewayId, long epochMillis);

  /** The mark a reaper left on the gateway, removed as it is read: when the reaper took it for dead. */
  Optional<Instant> takeReapedMark(String gatewayId);

  /** Adds a connection to the gateway's set, without waiting. */
  CompletionStage<Void> addConnection(String gatewayId, String member);

  /** Removes a connection from the gateway's set, without waiting; completes with whether it was there. */
  CompletionStage<Boolean> removeConnection(String gatewayId, String member);

  /**
   * A gateway's clean stop: removes its connection set and its stream of published messages, then
   * its heartbeat (a beat without a set is reaped).
   */
  void forget(String gatewayId);

  /** Removes a dead gateway's stream of published messages ({@link RedisKeys#gatewayPublished}): no one reads it. */
  void dropPublished(String gatewayId);

  /** Every gateway's heartbeat as written, by gateway id. */
  Map<String, String> heartbeats();

  Set<String> connections(String gatewayId);

  boolean hasConnection(String gatewayId, String member);

  /** Marks the gateway taken for dead at {@code epochMillis}, unless a mark is there already; it lives {@code ttl}. */
  void markReaped(String gatewayId, long epochMillis, Duration ttl);

  /** Removes a dead gateway's heartbeat, unless it changed from {@code lastBeat}: one that beats again stays. */
  void forgetHeartbeat(String gatewayId, String lastBeat);

  /** Takes the reaper lock for {@code ttl}, or extends it when {@code holder} has it; false when another holds it. */
  boolean holdReaperLock(String holder, Duration ttl);

  /** Hands the reaper lock on at once, if {@code holder} has it. */
  void releaseReaperLock(String holder);
}
