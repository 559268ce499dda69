package dev.dormouse.runtime;

import dev.dormouse.room.AutoResponsePair;
import dev.dormouse.room.RoomKey;
import dev.dormouse.room.Storage;
import dev.dormouse.room.StorageBatch;
import dev.dormouse.room.StorageValue;
import dev.dormouse.store.AlarmIndex;
import dev.dormouse.store.AlarmRecord;
import dev.dormouse.store.AlarmStore;
import dev.dormouse.store.AnswerTimes;
import dev.dormouse.store.AutoResponseStore;
import dev.dormouse.store.ConnectionRecord;
import dev.dormouse.store.ConnectionRegistry;
import dev.dormouse.store.HistoryView;
import dev.dormouse.store.InstanceHistory;
import dev.dormouse.store.InstanceTransition;
import dev.dormouse.store.Lease;
import dev.dormouse.store.LeaseStore;
import dev.dormouse.store.RoomStores;
import dev.dormouse.store.StaleLeaseException;
import dev.dormouse.store.StoreUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The store in memory, for one test thread. Like Redis it fences writes: one under a lease that is
 * no longer the key's lease is refused with {@link StaleLeaseException}. Leases expire or pass to another
 * owner only when a test says so ({@link #expire}, {@link #passTo}); {@link #down} makes every call fail
 * as an unreachable Redis does.
 */
final class FakeStores implements LeaseStore {

  static final Duration TTL = Duration.ofSeconds(3);

  private final Map<RoomKey, Lease> leases = new HashMap<>();
  private final Map<RoomKey, Long> epochs = new HashMap<>();
  final Map<RoomKey, Map<String, ConnectionRecord>> connections = new HashMap<>();
  final Map<RoomKey, Map<String, String>> storage = new HashMap<>();
  final Map<RoomKey, AlarmRecord> alarms = new HashMap<>();

  /** The index of due alarms, as the gateways' watchers see it: when each is due or claimed until. */
  final Map<RoomKey, Long> alarmIndex = new HashMap<>();

  /** Each instance's transitions as the owner told them, oldest first. */
  final Map<RoomKey, List<InstanceTransition>> transitions = new HashMap<>();

  private final Map<RoomKey, AutoResponsePair> autoResponses = new HashMap<>();
  private final Map<RoomKey, Duration> socketEventTimeouts = new HashMap<>();

  /** Runs inside each lease release, once the lease is gone: what happens at that moment elsewhere. */
  Runnable onRelease = () -> {};

  boolean down;

  /** Set while cut off: what the store's probes wait on. */
  private CompletableFuture<Void> cut;

  /** Background renewals are sent but never answered, as while Redis stalls. */
  boolean renewalsUnanswered;

  /**
   * Connection records written in the background wait in {@link #recordWrites}, in the order sent,
   * until the test lands them ({@link #landRecordWrites}), as while their answers are on the way.
   */
  boolean recordWritesHeld;

  final Deque<Runnable> recordWrites = new ArrayDeque<>();

  /** Lands the held record writes in the order sent: each applied, or failed as it would be now. */
  void landRecordWrites() {
    for (Runnable write = recordWrites.poll(); write != null; write = recordWrites.poll()) {
      write.run();
    }
  }

  private CompletionStage<Void> inBackground(Runnable write) {
    CompletableFuture<Void> written = new CompletableFuture<>();
    Runnable landing =
        () -> {
          try {
            write.run();
            written.complete(null);
          } catch (RuntimeException e) {
            written.completeExceptionally(e);
          }
        };
    if (recordWritesHeld) {
      recordWrites.add(landing);
    } else {
      landing.run();
    }
    return written;
  }

  RoomStores stores() {
    return new RoomStores(
        this,
        new Registry(),
        new AutoResponses(),
        new NoAnswers(),
        new Alarms(),
        RoomStorage::new,
        this::ping,
        new History());
  }

  /** The key's lease passes to {@code ownerId} behind its holder's back (it paused past its TTL, say). */
  void passTo(RoomKey key, String ownerId) {
    leases.put(key, new Lease(key, ownerId, epochs.merge(key, 1L, Long::sum)));
  }

  /** The key's lease runs out: no owner holds it. */
  void expire(RoomKey key) {
    leases.remove(key);
  }

  Optional<String> holder(RoomKey key) {
    return Optional.ofNullable(leases.get(key)).map(Lease::ownerId);
  }

  private void reachable() {
    if (down) {
      throw new StoreUnavailableException("Redis is down (fake)", null);
    }
  }

  private void fenced(Lease lease) {
    reachable();
    if (!lease.equals(leases.get(lease.key()))) {
      throw new StaleLeaseException(lease);
    }
  }

  /**
   * As Redis cut off: calls that wait fail (as at their timeout); probes and background renewals sent
   * meanwhile are answered when the cut heals, as a network's held packets arrive then.
   */
  void cut() {
    down = true;
    cut = new CompletableFuture<>();
  }

  void heal() {
    down = false;
    CompletableFuture<Void> held = cut;
    cut = null;
    held.complete(null);
  }

  private CompletionStage<Void> ping() {
    CompletableFuture<Void> held = cut;
    return held != null ? held : CompletableFuture.completedFuture(null);
  }

  @Override
  public Duration ttl() {
    return TTL;
  }

  @Override
  public Grant acquire(RoomKey key, String ownerId) {
    reachable();
    Lease current = leases.get(key);
    if (current != null && !current.ownerId().equals(ownerId)) {
      return new Grant(null, current.ownerId());
    }
    if (current == null) {
      passTo(key, ownerId);
    }
    return new Grant(leases.get(key), null);
  }

  @Override
  public boolean renew(Lease lease) {
    reachable();
    return lease.equals(leases.get(lease.key()));
  }

  @Override
  public CompletionStage<Boolean> renewInBackground(Lease lease) {
    if (renewalsUnanswered) {
      return new CompletableFuture<>();
    }
    CompletableFuture<Void> held = cut;
    if (held != null) {
      return held.thenApply(healed -> renew(lease));
    }
    return down
        ? CompletableFuture.failedFuture(
            new StoreUnavailableException("Redis is down (fake)", null))
        : CompletableFuture.completedFuture(renew(lease));
  }

  @Override
  public CompletionStage<Boolean> releaseInBackground(Lease lease) {
    boolean held = lease.equals(leases.get(lease.key()));
    if (held) {
      leases.remove(lease.key());
    }
    onRelease.run();
    return CompletableFuture.completedFuture(held);
  }

  private final class Registry implements ConnectionRegistry {
    @Override
    public void put(Lease lease, String connectionId, ConnectionRecord record) {
      fenced(lease);
      connections
          .computeIfAbsent(lease.key(), k -> new LinkedHashMap<>())
          .put(connectionId, record);
    }

    @Override
    public void remove(Lease lease, String connectionId) {
      fenced(lease);
      connections.getOrDefault(lease.key(), new HashMap<>()).remove(connectionId);
    }

    @Override
    public CompletionStage<Void> putInBackground(
        Lease lease, String connectionId, ConnectionRecord record) {
      return inBackground(() -> put(lease, connectionId, record));
    }

    @Override
    public CompletionStage<Void> removeInBackground(Lease lease, String connectionId) {
      return inBackground(() -> remove(lease, connectionId));
    }

    @Override
    public Map<String, ConnectionRecord> all(RoomKey key) {
      reachable();
      return new LinkedHashMap<>(connections.getOrDefault(key, Map.of()));
    }
  }

  private final class AutoResponses implements AutoResponseStore {
    @Override
    public Optional<AutoResponsePair> pair(RoomKey key) {
      reachable();
      return Optional.ofNullable(autoResponses.get(key));
    }

    @Override
    public void setPair(Lease lease, AutoResponsePair pair) {
      fenced(lease);
      autoResponses.put(lease.key(), pair);
    }

    @Override
    public Optional<Duration> socketEventTimeout(RoomKey key) {
      reachable();
      return Optional.ofNullable(socketEventTimeouts.get(key));
    }

    @Override
    public void setSocketEventTimeout(Lease lease, Duration timeout) {
      fenced(lease);
      if (timeout == null) {
        socketEventTimeouts.remove(lease.key());
      } else {
        socketEventTimeouts.put(lease.key(), timeout);
      }
    }
  }

  /** The history as the owner wrote it; observability, so it works while the store is down too. */
  private final class History implements InstanceHistory {

    @Override
    public void append(RoomKey key, InstanceTransition transition) {
      transitions.computeIfAbsent(key, k -> new ArrayList<>()).add(transition);
    }

    @Override
    public HistoryView read(RoomKey key, int limit) {
      reachable();
      List<InstanceTransition> all = transitions.getOrDefault(key, List.of());
      long wakes = all.stream().filter(t -> t.kind() == InstanceTransition.Kind.WOKE).count();
      return new HistoryView(wakes, all.subList(Math.max(0, all.size() - limit), all.size()));
    }
  }

  private static final class NoAnswers implements AnswerTimes {
    @Override
    public Optional<Instant> lastAnswered(RoomKey key, String connectionId) {
      return Optional.empty();
    }

    @Override
    public void forget(RoomKey key, String connectionId) {}
  }

  /**
   * A gateway's watcher claims every alarm due by {@code nowMillis}, as {@link AlarmIndex#claimDue}
   * does: the claimed ones, held until the claim times out.
   */
  java.util.List<RoomKey> claimDue(long nowMillis) {
    reachable();
    java.util.List<RoomKey> due =
        alarmIndex.entrySet().stream()
            .filter(e -> e.getValue() <= nowMillis)
            .map(Map.Entry::getKey)
            .toList();
    due.forEach(key -> alarmIndex.put(key, AlarmIndex.claimedUntil(nowMillis)));
    return due;
  }

  private final class Alarms implements AlarmStore {
    @Override
    public Optional<AlarmRecord> get(RoomKey key) {
      reachable();
      return Optional.ofNullable(alarms.get(key));
    }

    @Override
    public AlarmRecord set(Lease lease, Instant at) {
      fenced(lease);
      AlarmRecord alarm = AlarmRecord.set(at);
      alarms.put(lease.key(), alarm);
      return alarm;
    }

    @Override
    public void delete(Lease lease) {
      fenced(lease);
      alarms.remove(lease.key());
      index(lease, Optional.empty());
    }

    @Override
    public boolean replace(Lease lease, AlarmRecord fired, Optional<AlarmRecord> next) {
      fenced(lease);
      if (!fired.equals(alarms.get(lease.key()))) {
        return false;
      }
      next.ifPresentOrElse(
          alarm -> alarms.put(lease.key(), alarm), () -> alarms.remove(lease.key()));
      index(lease, next);
      return true;
    }

    @Override
    public void index(Lease lease, Optional<AlarmRecord> alarm) {
      reachable();
      alarm.ifPresentOrElse(
          a -> alarmIndex.put(lease.key(), a.dueMillis()), () -> alarmIndex.remove(lease.key()));
    }

    @Override
    public void hold(Lease lease, long untilMillis) {
      reachable();
      alarmIndex.put(lease.key(), untilMillis);
    }

    @Override
    public void indexIfMissing(Lease lease, AlarmRecord alarm) {
      reachable();
      alarmIndex.putIfAbsent(lease.key(), alarm.dueMillis());
    }

    @Override
    public boolean claim(RoomKey key, long nowMillis) {
      reachable();
      Long score = alarmIndex.get(key);
      if (score != null && score > nowMillis) {
        return false;
      }
      alarmIndex.put(key, AlarmIndex.claimedUntil(nowMillis));
      return true;
    }
  }

  /** Storage in memory, of text values only: what the runtime's tests store. */
  private final class RoomStorage implements Storage {
    private final Lease lease;

    RoomStorage(Lease lease, int maxValueBytes) {
      this.lease = lease;
    }

    private Map<String, String> values() {
      return storage.computeIfAbsent(lease.key(), k -> new TreeMap<>());
    }

    @Override
    public Optional<String> get(String key) {
      reachable();
      return Optional.ofNullable(values().get(key));
    }

    @Override
    public Optional<byte[]> getBytes(String key) {
      return get(key).map(StorageValue::ofText).map(StorageValue::bytes);
    }

    @Override
    public Map<String, StorageValue> get(Collection<String> keys) {
      reachable();
      Map<String, StorageValue> found = new LinkedHashMap<>();
      keys.stream()
          .filter(values()::containsKey)
          .forEach(k -> found.put(k, StorageValue.ofText(values().get(k))));
      return found;
    }

    @Override
    public void put(String key, String value) {
      write(new StorageBatch().put(key, value));
    }

    @Override
    public void put(String key, byte[] value) {
      write(new StorageBatch().put(key, value));
    }

    @Override
    public boolean delete(String key) {
      return write(new StorageBatch().delete(key)) == 1;
    }

    @Override
    public void deleteAll() {
      fenced(lease);
      values().clear();
    }

    @Override
    public Map<String, StorageValue> list(String prefix, String startAfter, int limit) {
      reachable();
      Map<String, StorageValue> listed = new LinkedHashMap<>();
      values().entrySet().stream()
          .filter(e -> e.getKey().startsWith(prefix))
          .filter(e -> startAfter == null || e.getKey().compareTo(startAfter) > 0)
          .limit(limit)
          .forEach(e -> listed.put(e.getKey(), StorageValue.ofText(e.getValue())));
      return listed;
    }

    @Override
    public int write(StorageBatch batch) {
      fenced(lease);
      int deleted = 0;
      for (StorageBatch.Operation operation : batch.operations()) {
        if (operation.isDelete()) {
          deleted += values().remove(operation.key()) != null ? 1 : 0;
        } else {
          values().put(operation.key(), operation.value().text());
        }
      }
      return deleted;
    }
  }
}
