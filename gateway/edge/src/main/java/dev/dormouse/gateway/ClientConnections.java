package dev.dormouse.gateway;

import dev.dormouse.admin.Metrics;
import dev.dormouse.config.RoomSettings;
import dev.dormouse.link.CloseCodes;
import dev.dormouse.link.OutboundMessage;
import dev.dormouse.link.Refusal;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.link.RoomEventSink;
import dev.dormouse.room.AutoResponsePair;
import dev.dormouse.room.RoomKey;
import dev.dormouse.store.ConnectionCounts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.XnioIoThread;

/** Every client socket this gateway holds, by connection id; the owners' way back to the clients. */
public final class ClientConnections {

  private static final Logger log = LoggerFactory.getLogger(ClientConnections.class);

  private final String gatewayId;
  private final long outboundLimitBytes;
  private final ConnectionCounts counts;
  private final Metrics metrics;
  private final GatewayCloses closes;
  private final AutoResponder autoResponder = new AutoResponder();
  private final Tracker tracker;
  private final AtomicLong sequence = new AtomicLong();
  private final ConcurrentHashMap<String, ClientConnection> byId = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<RoomKey, AtomicInteger> perKey = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Integer, XnioIoThread> ioThreads = new ConcurrentHashMap<>();
  private final Object emptied = new Object();

  /** Close events sent to rooms and not yet handled: a drain waits for them before the process goes. */
  private final Set<CompletableFuture<Void>> closesInFlight = ConcurrentHashMap.newKeySet();

  /** Hears of every connection this gateway opens and forgets (the gateway registry). */
  public interface Tracker {
    void opened(RoomKey key, String connectionId);

    /**
     * @return whether this took the connection out of the registry: false when a reaper did it first
     *     (it took this gateway for dead and counted the connection out itself)
     */
    CompletionStage<Boolean> closed(RoomKey key, String connectionId);
  }

  public ClientConnections(
      String gatewayId,
      long outboundLimitBytes,
      ConnectionCounts counts,
      Metrics metrics,
      Tracker tracker) {
    this.gatewayId = gatewayId;
    this.tracker = tracker;
    this.outboundLimitBytes = outboundLimitBytes;
    this.counts = counts;
    this.metrics = metrics;
    this.closes = new GatewayCloses(metrics);
    metrics.gauge(
        "dormouse_gateway_connections", "Client sockets open at this gateway", byId::size);
  }

  public String gatewayId() {
    return gatewayId;
  }

  /** Bytes queued for one client before it counts as too slow. */
  long outboundLimitBytes() {
    return outboundLimitBytes;
  }

  AutoResponder autoResponder() {
    return autoResponder;
  }

  /**
   * A connection about to be offered to its room; it waits for the handshake before anything is sent.
   *
   * @param events where the room hears that what it sent could not be delivered
   */
  ClientConnection open(
      RoomKey key, RoomSettings settings, RoomEventSink events, XnioIoThread ioThread) {
    // The id ends in the number of the socket's I/O thread, so what owners send can be split by
    // thread without looking each connection up (see deliver).
    String id =
        gatewayId
            + "."
            + Long.toString(sequence.incrementAndGet(), 36)
            + "."
            + ioThread.getNumber();
    ioThreads.putIfAbsent(ioThread.getNumber(), ioThread);
    ClientConnection connection =
        new ClientConnection(
            id,
            key,
            settings,
            outboundLimitBytes,
            tooSlow -> slowConsumer(tooSlow, events),
            closes::sent);
    byId.put(id, connection);
    perKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    counts.opened(key);
    tracker.opened(key, id);
    return connection;
  }

  /** The connection is gone (refused, or closed): forget it. */
  void remove(ClientConnection connection) {
    if (byId.remove(connection.id()) == null) {
      return;
    }
    // Counted out by whoever takes it out of the registry, this gateway or a reaper that took it
    // for
    // dead meanwhile (cut off from Redis, say): never by both.
    tracker
        .closed(connection.key(), connection.id())
        .thenAccept(
            removed -> {
              if (removed) {
                counts.closed(connection.key());
              }
            });
    perKey.computeIfPresent(
        connection.key(),
        (key, n) -> {
          if (n.decrementAndGet() > 0) {
            return n;
          }
          autoResponder.forget(key);
          return null;
        });
    if (byId.isEmpty()) {
      synchronized (emptied) {
        emptied.notifyAll();
      }
    }
  }

  /** Notes a close event on its way to the room, until the room has handled it. */
  RoomEvent.Close tracked(RoomEvent.Close close) {
    closesInFlight.add(close.done());
    close.done().whenComplete((ignored, error) -> closesInFlight.remove(close.done()));
    return close;
  }

  /** Waits, at most {@code timeout}, until the rooms have handled every close event sent so far. */
  void awaitClosesHandled(Duration timeout) throws InterruptedException {
    try {
      CompletableFuture.allOf(closesInFlight.toArray(CompletableFuture[]::new))
          .get(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      log.warn("rooms did not handle every close event before the drain's end: {}", e.toString());
    }
  }

  /** Waits until this gateway holds no connection, at most {@code timeout}; true if it holds none. */
  boolean awaitEmpty(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (emptied) {
      while (!byId.isEmpty()) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          return false;
        }
        emptied.wait(left);
      }
    }
    return true;
  }

  /**
   * What the room sent could not be delivered: the room's onError hears why (as of a protocol error),
   * then its onClose of the 1008.
   */
  private void slowConsumer(ClientConnection connection, RoomEventSink events) {
    log.warn("closing {}: its outbound queue passed {} bytes", connection.id(), outboundLimitBytes);
    metrics.error("slow-consumer");
    String reason = "Client too slow: more than " + outboundLimitBytes + " bytes waiting";
    if (connection.closeInitiator() == null) {
      events.offer(new RoomEvent.Failure(connection.key(), gatewayId, connection.id(), reason));
    }
    connection.closeTooSlow(reason);
  }

  /** The event telling a room that a connection was lost without a closing handshake. */
  static RoomEvent.Close lost(ClientConnection connection, String gatewayId) {
    return new RoomEvent.Close(
        connection.key(),
        gatewayId,
        connection.id(),
        CloseCodes.ABNORMAL,
        "",
        false,
        false,
        new CompletableFuture<>());
  }

  public int size() {
    return byId.size();
  }

  /** Room keys with at least one socket here. */
  public Set<RoomKey> roomKeys() {
    return Set.copyOf(perKey.keySet());
  }

  List<ClientConnection> all() {
    return List.copyOf(byId.values());
  }

  /**
   * Sends one message to several of this gateway's connections; the payload is shared. Returns to
   * how many it went: the others are gone.
   */
  public int send(Collection<String> connectionIds, OutboundMessage message) {
    int sent = 0;
    for (String id : connectionIds) {
      ClientConnection connection = byId.get(id);
      if (connection != null) {
        connection.send(message);
        sent++;
      }
    }
    return sent;
  }

  /**
   * What a room sends, from its owner's link: each I/O thread gets one task with its own sockets'
   * share, and queues and writes to them itself. The link's thread, which carries every message of
   * the owner's rooms, then does next to nothing per socket, where it used to do each socket's
   * lookup and queueing while the I/O threads waited. A room's sends and closes all take this way,
   * so a socket gets them in the order its owner sent them.
   */
  public void deliver(Collection<String> connectionIds, OutboundMessage message) {
    Map<XnioIoThread, List<String>> byThread = new HashMap<>(4);
    for (String id : connectionIds) {
      XnioIoThread thread = ioThreadOf(id);
      if (thread != null) {
        byThread.computeIfAbsent(thread, t -> new ArrayList<>()).add(id);
      }
    }
    byThread.forEach((thread, ids) -> thread.execute(() -> send(ids, message)));
  }

  /** The room closes a connection: after what it sent before, on the socket's I/O thread. */
  public void close(String connectionId, int code, String reason) {
    onThreadOf(
        connectionId,
        connection -> connection.close(ClientConnection.Initiator.ROOM, code, reason));
  }

  /**
   * Answers the client's close with its own code once the room has handled it: queued like the
   * room's sends, so a close the room answered with (sent before it reported the event handled)
   * goes out first and this one is not needed.
   */
  void echoClose(String connectionId, int code, String reason) {
    onThreadOf(
        connectionId,
        connection -> connection.close(ClientConnection.Initiator.PEER, code, reason));
  }

  /** Runs on the connection's I/O thread, after what was queued there for it before. */
  private void onThreadOf(String connectionId, Consumer<ClientConnection> action) {
    XnioIoThread thread = ioThreadOf(connectionId);
    if (thread != null) {
      thread.execute(
          () -> {
            ClientConnection connection = byId.get(connectionId);
            if (connection != null) {
              action.accept(connection);
            }
          });
    }
  }

  /** The I/O thread whose number ends the id; null for an id this gateway did not make. */
  private XnioIoThread ioThreadOf(String connectionId) {
    int dot = connectionId.lastIndexOf('.');
    if (dot <= gatewayId.length() || !connectionId.startsWith(gatewayId)) {
      return null;
    }
    int number = 0;
    for (int i = dot + 1; i < connectionId.length(); i++) {
      char c = connectionId.charAt(i);
      if (c < '0' || c > '9' || number > Short.MAX_VALUE) {
        return null;
      }
      number = number * 10 + (c - '0');
    }
    return ioThreads.get(number);
  }

  /** The room changed its auto-response pair ({@code null}: removed). */
  public void autoResponse(RoomKey key, AutoResponsePair pair) {
    autoResponder.roomSet(key, Optional.ofNullable(pair));
  }

  /** Closes every connection of a room (all its instances): the room was deleted. */
  public void closeRoom(String namespace, String room) {
    for (ClientConnection connection : byId.values()) {
      RoomKey key = connection.key();
      if (key.namespace().equals(namespace) && key.room().equals(room)) {
        connection.close(ClientConnection.Initiator.GATEWAY, Refusal.ROOM_DELETED);
      }
    }
  }

  /** Closes every connection of one room instance, telling each why. */
  public void closeKey(RoomKey key, Refusal refusal) {
    for (ClientConnection connection : byId.values()) {
      if (connection.key().equals(key)) {
        connection.close(ClientConnection.Initiator.GATEWAY, refusal);
      }
    }
  }

  /**
   * A reaper took this gateway for dead at {@code reapedAt} (it was paused, or cut off from Redis):
   * the rooms of the connections it held then were told they are gone, so those clients are told to
   * connect again rather than left on sockets no room knows.
   */
  public void closeReaped(Instant reapedAt) {
    for (ClientConnection connection : byId.values()) {
      if (connection.openedAtMillis() <= reapedAt.toEpochMilli()) {
        connection.close(ClientConnection.Initiator.GATEWAY, Refusal.GATEWAY_REAPED);
      }
    }
  }

  /** The gateway ends a connection (its message cannot be handled, its room is gone). */
  public void closeByGateway(String connectionId, int code, String reason) {
    // Queued like the room's sends, so it cannot overtake what the room sent before it.
    onThreadOf(
        connectionId,
        connection -> connection.close(ClientConnection.Initiator.GATEWAY, code, reason));
  }
}
