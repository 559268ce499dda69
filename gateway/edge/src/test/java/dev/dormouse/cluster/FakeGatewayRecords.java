package dev.dormouse.cluster;

import dev.dormouse.store.GatewayRecords;
import dev.dormouse.store.StoreUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Gateway records in memory, with a switch that makes every call fail as an unreachable Redis would. */
final class FakeGatewayRecords implements GatewayRecords {

  private final Map<String, String> beats = new HashMap<>();
  private final Map<String, Set<String>> connections = new HashMap<>();
  private final Map<String, Long> reapedMarks = new HashMap<>();
  private String lockHolder;
  private volatile boolean down;

  /** Removals of these members fail once each, as a Redis that dropped the command would. */
  private final Set<String> failNextRemoval = new HashSet<>();

  private int failedCalls;

  synchronized void down(boolean down) {
    this.down = down;
  }

  synchronized int failedCalls() {
    return failedCalls;
  }

  synchronized void failNextRemovalOf(String member) {
    failNextRemoval.add(member);
  }

  /** What a gateway that died a minute ago leaves behind. */
  synchronized void deadGateway(String gatewayId, String... members) {
    beats.put(gatewayId, Long.toString(System.currentTimeMillis() - 60_000));
    connections.computeIfAbsent(gatewayId, id -> new HashSet<>()).addAll(Set.of(members));
  }

  synchronized boolean known(String gatewayId) {
    return beats.containsKey(gatewayId);
  }

  synchronized Set<String> members(String gatewayId) {
    return Set.copyOf(connections.getOrDefault(gatewayId, Set.of()));
  }

  private void check() {
    if (down) {
      failedCalls++;
      throw new StoreUnavailableException("Redis is down (fake)", null);
    }
  }

  @Override
  public synchronized void beat(String gatewayId, long epochMillis) {
    check();
    beats.put(gatewayId, Long.toString(epochMillis));
  }

  @Override
  public synchronized Optional<Instant> takeReapedMark(String gatewayId) {
    check();
    return Optional.ofNullable(reapedMarks.remove(gatewayId)).map(Instant::ofEpochMilli);
  }

  @Override
  public synchronized CompletionStage<Void> addConnection(String gatewayId, String member) {
    check();
    connections.computeIfAbsent(gatewayId, id -> new HashSet<>()).add(member);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletionStage<Boolean> removeConnection(String gatewayId, String member) {
    if (down || failNextRemoval.remove(member)) {
      failedCalls++;
      return CompletableFuture.failedFuture(
          new StoreUnavailableException("Redis dropped the command (fake)", null));
    }
    Set<String> members = connections.getOrDefault(gatewayId, new HashSet<>());
    return CompletableFuture.completedFuture(members.remove(member));
  }

  @Override
  public synchronized void forget(String gatewayId) {
    check();
    connections.remove(gatewayId);
    beats.remove(gatewayId);
  }

  @Override
  public synchronized void dropPublished(String gatewayId) {
    check(); // the fake keeps no streams
  }

  @Override
  public synchronized Map<String, String> heartbeats() {
    check();
    return Map.copyOf(beats);
  }

  @Override
  public synchronized Set<String> connections(String gatewayId) {
    check();
    return members(gatewayId);
  }

  @Override
  public synchronized boolean hasConnection(String gatewayId, String member) {
    check();
    return connections.getOrDefault(gatewayId, Set.of()).contains(member);
  }

  @Override
  public synchronized void markReaped(String gatewayId, long epochMillis, Duration ttl) {
    check();
    reapedMarks.putIfAbsent(gatewayId, epochMillis);
  }

  @Override
  public synchronized void forgetHeartbeat(String gatewayId, String lastBeat) {
    check();
    beats.remove(gatewayId, lastBeat);
  }

  @Override
  public synchronized boolean holdReaperLock(String holder, Duration ttl) {
    check();
    if (lockHolder == null) {
      lockHolder = holder;
    }
    return holder.equals(lockHolder);
  }

  @Override
  public synchronized void releaseReaperLock(String holder) {
    check();
    if (holder.equals(lockHolder)) {
      lockHolder = null;
    }
  }
}
