package dev.dormouse.runtime;

import dev.dormouse.admin.Metrics;
import dev.dormouse.config.RoomSettings;
import dev.dormouse.link.ClientSink;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A room instance in memory: the room object and a view of every live connection. Only the thread
 * draining the instance's mailbox touches it. Once retired (evicted or reset) it refuses all use, so
 * a handler that overran its timeout cannot act on a newer activation's behalf.
 */
final class ActiveInstance implements RoomContext {

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

  /** Registers an accepted connection; refused once retired, so a connect that overran leaves no record behind. */
  void accept(OwnedSocket socket, List<String> tags) {
    checkLive();
    socket.acceptWithTags(tags);
    sockets.put(socket.id(), socket);
  }

  void remove(String connectionId) {
    OwnedSocket socket = sockets.remove(connectionId);
    if (socket != null) {
      socket.markClosed();
    }
    stores.registry().remove(lease, connectionId);
    stores.autoResponseTimes().forget(key, connectionId);
  }

  /**
   * The instance leaves memory, for whatever reason (evicted, reset, its lease lost, the owner
   * closing): it refuses all further use, and its room is closed once.
   */
  void retire() {
    if (retired.compareAndSet(false, true)) {
      closer.close(key, room);
    }
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
    sink.send(gatewayId, connectionIds, message);
    metrics.messagesOut(connectionIds.size());
  }

  void closeConnection(String gatewayId, String connectionId, int code, String reason) {
    checkLive();
    sink.close(gatewayId, connectionId, code, reason);
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
    sink.autoResponse(key, pair);
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

  boolean callsOutstanding() {
    return outstandingCalls.get() > 0;
  }
}
