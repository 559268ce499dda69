package dev.dormouse.runtime;

import dev.dormouse.admin.Metrics;
import dev.dormouse.config.RoomSettings;
import dev.dormouse.link.ClientSink;
import dev.dormouse.link.CloseCodes;
import dev.dormouse.link.OutboundMessage;
import dev.dormouse.room.AutoResponsePair;
import dev.dormouse.room.Room;
import dev.dormouse.room.RoomContext;
import dev.dormouse.room.RoomKey;
import dev.dormouse.room.RoomSocket;
import dev.dormouse.room.RoomStub;
import dev.dormouse.room.Storage;
import dev.dormouse.store.ConnectionRecord;
import dev.dormouse.store.Lease;
import dev.dormouse.store.RoomStores;
import dev.dormouse.store.StaleLeaseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A room instance in memory: the room object and a view of every live connection. Only the thread
 * draining the instance's mailbox touches it. Once retired (evicted or reset) it refuses all use, so
 * a handler that overran its timeout cannot act on a newer activation's behalf.
 */
final class ActiveInstance implements RoomContext {

  private static final Logger log = LoggerFactory.getLogger(ActiveInstance.class);

  private final Lease lease;
  private final RoomKey key;
  private final RoomSettings settings;
  private final Room room;
  private final RoomStores stores;
  private final ClientSink sink;
  private final Metrics metrics;
  private final OwnerClock clock;
  private final Alarms alarms;
  private final Map<String, OwnedSocket> sockets = new LinkedHashMap<>();
  private final Storage storage;
  private Optional<AutoResponsePair> autoResponse;
  private Optional<Duration> socketEventTimeout = Optional.empty();
  private final RoomCalls calls;
  private final RoomCloser closer;
  private final OutputGate gate;

  /** Set once, by whichever thread retires the instance first: its room is closed once. */
  private final AtomicBoolean retired = new AtomicBoolean();

  /** Calls this instance made that are not answered yet: they keep it from idle eviction. */
  private final AtomicInteger outstandingCalls = new AtomicInteger();

  ActiveInstance(
      Lease lease,
      RoomSettings settings,
      Room room,
      RoomStores stores,
      ClientSink sink,
      Metrics metrics,
      OwnerClock clock,
      Alarms alarms,
      RoomCalls calls,
      RoomCloser closer) {
    this.lease = lease;
    this.key = lease.key();
    this.settings = settings;
    this.room = room;
    this.stores = stores;
    this.sink = sink;
    this.metrics = metrics;
    this.clock = clock;
    this.alarms = alarms;
    this.storage = stores.storage(lease, settings.maxStorageValueBytes());
    this.calls = calls;
    this.closer = closer;
    this.gate = new OutputGate(sink, key);
  }

  /**
   * Reads the instance's connections, auto-response and alarm from Redis, then runs the room's
   * onStart.
   */
  void start() {
    stores
        .registry()
        .all(key)
        .forEach((id, record) -> sockets.put(id, new OwnedSocket(id, record, this, true)));
    autoResponse = stores.autoResponses().pair(key);
    socketEventTimeout = stores.autoResponses().socketEventTimeout(key);
    alarms.restore(lease);
    RoomContextLoader.run(
        room.getClass(),
        () ->
            MailboxThread.runAs(
                this,
                () -> {
                  room.onStart(this);
                  return null;
                }));
  }

  Lease lease() {
    return lease;
  }

  Room room() {
    return room;
  }

  RoomSettings settings() {
    return settings;
  }

  int connectionCount() {
    return sockets.size();
  }

  OwnedSocket socket(String connectionId) {
    return sockets.get(connectionId);
  }

  /** A socket for a connection the room has not accepted yet. */
  OwnedSocket candidate(String connectionId, String gatewayId) {
    return new OwnedSocket(
        connectionId,
        new ConnectionRecord(gatewayId, clock.epochMillis(), List.of(), null),
        this,
        false);
  }

  /**
   * From now until the hold is released, what the instance sends waits: for the record write a
   * connect or close is about to make ({@link OutputGate}).
   */
  OutputGate.Hold holdOutput() {
    return gate.hold();
  }

  /**
   * Registers an accepted connection: the room sees it at once, its record is written in the
   * background. Refused once retired, so a connect that overran leaves no record behind.
   *
   * @return completes once the record is written; fails with the store's exception
   */
  CompletionStage<Void> accept(OwnedSocket socket, List<String> tags) {
    checkLive();
    CompletionStage<Void> registered = socket.acceptWithTags(tags);
    sockets.put(socket.id(), socket);
    return registered;
  }

  /**
   * An accepted connection whose record could not be written: its client is refused, so the room
   * hears it closed, not cleanly ({@code onClose}, 1013, as a client the gateway tells to try again
   * later), and its record goes in case the write landed after all (a stalled Redis runs it after
   * the client gave up). Runs in the mailbox; nothing when the connection has left meanwhile.
   */
  void registrationFailed(OwnedSocket socket, String reason) {
    if (sockets.get(socket.id()) != socket) {
      return;
    }
    socket.markPeerClosing();
    try {
      room.onClose(socket, CloseCodes.TRY_AGAIN_LATER, reason, false);
    } finally {
      remove(socket.id(), () -> {});
    }
  }

  /**
   * The connection is gone: the room no longer sees it, and its record is removed in the background,
   * what the instance sends meanwhile waiting for that as for a registration.
   *
   * @param removed runs once the record is removed, or its removal failed
   */
  void remove(String connectionId, Runnable removed) {
    OwnedSocket socket = sockets.remove(connectionId);
    if (socket != null) {
      socket.markClosed();
    }
    stores.autoResponseTimes().forget(key, connectionId);
    OutputGate.Hold hold = gate.hold();
    inBackground(() -> stores.registry().removeInBackground(lease, connectionId))
        .whenComplete(
            (done, error) -> {
              if (error != null) {
                recordWriteFailed("remove the record of connection " + connectionId, error);
              }
              hold.release(removed);
            });
  }

  /** A write that throws rather than failing its stage (a fake store, a client shut down) fails it. */
  static CompletionStage<Void> inBackground(Supplier<CompletionStage<Void>> write) {
    try {
      return write.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * A record write in the background failed, on a Redis I/O thread. Refused as stale, the lease is
   * lost: the instance ends as when a synchronous write is refused so, by a step in its mailbox that
   * throws the refusal ({@link EventRunner} resets the instance and forgets the lease).
   *
   * @return whether it was refused as stale
   */
  boolean recordWriteFailed(String what, Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof StaleLeaseException stale) {
      post(
          () -> {
            throw stale;
          });
      return true;
    }
    metrics.error("storage");
    log.warn("room {} could not {}: {}", key, what, cause.toString());
    return false;
  }

  /** Runs {@code step} in this instance's mailbox, as an event of its own; dropped once retired. */
  void post(Runnable step) {
    calls.post(this, step);
  }

  /**
   * The instance leaves memory, for whatever reason (evicted, reset, its lease lost, the owner
   * closing): it refuses all further use, and its room is closed once.
   *
   * @return whether this call retired it (not an earlier one)
   */
  boolean retire() {
    if (retired.compareAndSet(false, true)) {
      closer.close(key, room);
      return true;
    }
    return false;
  }

  boolean retired() {
    return retired.get();
  }

  void checkLive() {
    if (retired.get()) {
      throw new IllegalStateException(
          "room instance " + key + " was reset or evicted; this object is stale");
    }
  }

  RoomStores stores() {
    return stores;
  }

  void deliver(String gatewayId, List<String> connectionIds, OutboundMessage message) {
    checkLive();
    gate.send(new OutputGate.Send(gatewayId, connectionIds, message));
    metrics.messagesOut(connectionIds.size());
  }

  void closeConnection(String gatewayId, String connectionId, int code, String reason) {
    checkLive();
    gate.send(new OutputGate.Close(gatewayId, connectionId, code, reason));
  }

  @Override
  public RoomKey key() {
    return key;
  }

  @Override
  public Map<String, String> env() {
    return settings.env();
  }

  @Override
  public List<RoomSocket> getWebSockets() {
    checkLive();
    return sockets.values().stream()
        .filter(OwnedSocket::isOpen)
        .map(RoomSocket.class::cast)
        .toList();
  }

  @Override
  public List<RoomSocket> getWebSockets(String tag) {
    checkLive();
    return sockets.values().stream()
        .filter(s -> s.isOpen() && s.tags().contains(tag))
        .map(RoomSocket.class::cast)
        .toList();
  }

  @Override
  public void broadcast(String text, List<RoomSocket> to) {
    checkLive();
    OutboundMessage message = OutboundMessage.text(text);
    Map<String, List<String>> byGateway = new LinkedHashMap<>();
    for (RoomSocket socket : to) {
      if (socket instanceof OwnedSocket owned && owned.isOpen()) {
        byGateway.computeIfAbsent(owned.gatewayId(), g -> new ArrayList<>()).add(owned.id());
      }
    }
    byGateway.forEach((gateway, ids) -> deliver(gateway, ids, message));
  }

  @Override
  public void setWebSocketAutoResponse(AutoResponsePair pair) {
    checkLive();
    stores.autoResponses().setPair(lease, pair);
    autoResponse = Optional.ofNullable(pair);
    gate.send(new OutputGate.AutoResponse(key, pair));
  }

  @Override
  public Optional<AutoResponsePair> getWebSocketAutoResponse() {
    return autoResponse;
  }

  @Override
  public Optional<Instant> getWebSocketAutoResponseTimestamp(RoomSocket socket) {
    checkLive();
    return stores.autoResponseTimes().lastAnswered(key, socket.id());
  }

  @Override
  public Set<String> getTags(RoomSocket socket) {
    checkLive();
    if (!(socket instanceof OwnedSocket owned) || sockets.get(owned.id()) != owned) {
      throw new IllegalArgumentException(
          "socket " + socket.id() + " is not a connection of room instance " + key);
    }
    return owned.tags();
  }

  @Override
  public void setHibernatableWebSocketEventTimeout(Duration timeout) {
    checkLive();
    if (timeout != null
        && (timeout.isNegative() || timeout.compareTo(MAX_SOCKET_EVENT_TIMEOUT) > 0)) {
      throw new IllegalArgumentException(
          "a hibernatable WebSocket event timeout must be 0 … "
              + MAX_SOCKET_EVENT_TIMEOUT
              + ", got "
              + timeout);
    }
    Duration kept = timeout == null || timeout.isZero() ? null : timeout;
    stores.autoResponses().setSocketEventTimeout(lease, kept);
    socketEventTimeout = Optional.ofNullable(kept);
  }

  @Override
  public Optional<Duration> getHibernatableWebSocketEventTimeout() {
    return socketEventTimeout;
  }

  @Override
  public Storage storage() {
    checkLive();
    return storage;
  }

  @Override
  public void setAlarm(Instant at) {
    checkLive();
    alarms.set(lease, at);
  }

  @Override
  public Optional<Instant> getAlarm() {
    checkLive();
    return alarms.get(key);
  }

  @Override
  public void deleteAlarm() {
    checkLive();
    alarms.delete(lease);
  }

  // Calls to other rooms (issue 13, HTTP part).

  @Override
  public RoomStub room(String room, String instance) {
    checkLive();
    return calls.stub(this, new RoomKey(key.namespace(), room, instance));
  }

  void callStarted() {
    outstandingCalls.incrementAndGet();
  }

  void callEnded() {
    outstandingCalls.decrementAndGet();
  }

  /** Calls it made are unanswered, or record writes it made have not landed: it is not idle. */
  boolean callsOutstanding() {
    return outstandingCalls.get() > 0 || gate.holding();
  }
}
