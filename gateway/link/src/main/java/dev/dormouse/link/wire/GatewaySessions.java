package dev.dormouse.link.wire;

import dev.dormouse.link.ClientSink;
import dev.dormouse.link.HttpStatus;
import dev.dormouse.link.OutboundMessage;
import dev.dormouse.link.Refusal;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.room.AutoResponsePair;
import dev.dormouse.room.RoomKey;
import dev.dormouse.room.RoomRequest;
import dev.dormouse.room.RoomResponse;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateways linked to this owner, by gateway id, and the owner's way back to their clients: each
 * command goes to the link of the gateway that holds the sockets. A command for a gateway that is not
 * linked (yet: a gateway links to a new owner when it sees it ready, which can be a moment after
 * another gateway's events reached it) waits for that link, within bounds; past them it is dropped
 * and counted — the gateway is gone and its sockets will be reaped with it, or, if it links again
 * (it was only cut off), each connection that lost a command is closed with 1013 first thing, so no
 * client sits on a socket that silently missed its room's messages.
 */
final class GatewaySessions implements ClientSink {

  private static final Logger log = LoggerFactory.getLogger(GatewaySessions.class);

  private final ConcurrentHashMap<String, GatewaySession> byGateway = new ConcurrentHashMap<>();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong calls = new AtomicLong();

  /** Commands waiting for a gateway that has not linked, oldest first. */
  private static final class Waiting {
    final ArrayDeque<Frame> frames = new ArrayDeque<>();
    final long since = System.currentTimeMillis();
  }

  static final int MAX_WAITING_FRAMES = 10_000;
  static final long MAX_WAITING_MILLIS = 15_000;

  private final Map<String, Waiting> unlinked = new HashMap<>();

  /**
   * Connections that lost a command while their gateway was not linked, by gateway, with when the
   * first was lost; under the lock of {@link #unlinked}. Forgotten after {@link #LOST_MEMORY_MILLIS}:
   * a gateway that stays away longer is gone (its pod replaced), or it told its clients itself (a
   * gateway closes the clients of a room whose live owner it cannot reach).
   */
  private final Map<String, LostConnections> lostFor = new HashMap<>();

  private record LostConnections(Set<String> ids, long since) {}

  static final long LOST_MEMORY_MILLIS = 5 * 60_000;

  /**
   * Per gateway: more connections than that which lost commands go unrecorded (and logged), rather
   * than grow without end for a gateway that never comes back.
   */
  static final int MAX_LOST_CONNECTIONS = 100_000;

  /**
   * The owner is draining (for good: every gateway is told DRAINING), or paused (it cannot reach Redis,
   * until it can: PAUSED, then SERVING), told to gateways that link meanwhile too. Guarded by {@code
   * this}, with the frames that announce a change, so a gateway hears them in the order they happened.
   */
  private boolean draining;

  private boolean paused;

  /**
   * A gateway that reconnects before its old link was seen dead replaces it. What waited for the
   * gateway is written first, and only then is the link visible to other writers, so order holds.
   */
  void register(GatewaySession session) {
    GatewaySession previous;
    synchronized (unlinked) {
      long now = System.currentTimeMillis();
      Waiting waiting = unlinked.remove(session.gatewayId());
      if (waiting != null && now - waiting.since <= MAX_WAITING_MILLIS) {
        waiting.frames.forEach(session::write);
      } else if (waiting != null) {
        waiting.frames.forEach(frame -> lost(session.gatewayId(), frame));
      }
      LostConnections lostHere = lostFor.remove(session.gatewayId());
      Set<String> lost = lostHere == null ? null : lostHere.ids();
      if (lost != null) {
        log.warn(
            "gateway {} linked again after its commands were dropped: closing its {} connections"
                + " that lost some",
            session.gatewayId(),
            lost.size());
        Refusal refusal = Refusal.MESSAGES_DROPPED;
        lost.forEach(
            id -> session.write(new Frame.ClientClose(id, refusal.closeCode(), refusal.reason())));
      }
      previous = byGateway.put(session.gatewayId(), session);
      unlinked
          .entrySet()
          .removeIf(
              entry -> {
                boolean expired = now - entry.getValue().since > MAX_WAITING_MILLIS;
                if (expired) {
                  entry.getValue().frames.forEach(frame -> lost(entry.getKey(), frame));
                }
                return expired;
              });
    }
    // After the put: either drain(), pause() or resume() sees this session or this sees their flag
    // (a gateway ignores a second DRAINING or PAUSED, and a SERVING while not paused).
    synchronized (this) {
      if (draining) {
        session.write(new Frame.Draining());
      } else if (paused) {
        session.write(new Frame.Paused());
      }
    }
    if (previous != null) {
      previous.close("replaced by a newer link from the same gateway");
    }
  }

  void unregister(GatewaySession session) {
    byGateway.remove(session.gatewayId(), session);
  }

  /** Tells every linked gateway, and every one that links later, that this owner is draining. */
  synchronized void drain() {
    draining = true;
    byGateway.values().forEach(session -> session.write(new Frame.Draining()));
  }

  /** Tells every linked gateway, and every one that links until {@link #resume}, PAUSED. */
  synchronized void pause() {
    if (!paused && !draining) {
      byGateway.values().forEach(session -> session.write(new Frame.Paused()));
    }
    paused = true;
  }

  /** Ends a {@link #pause}: every linked gateway is told SERVING, unless this owner drains meanwhile. */
  synchronized void resume() {
    if (paused && !draining) {
      byGateway.values().forEach(session -> session.write(new Frame.Serving()));
    }
    paused = false;
  }

  /** True when every linked gateway has answered DRAINING with RELEASED (a gateway no longer linked counts as done). */
  boolean allReleased() {
    return byGateway.values().stream().allMatch(GatewaySession::released);
  }

  Collection<GatewaySession> linked() {
    return byGateway.values();
  }

  void refused() {
    refused.incrementAndGet();
  }

  int size() {
    return byGateway.size();
  }

  long refusedCount() {
    return refused.get();
  }

  long droppedCount() {
    return dropped.get();
  }

  @Override
  public void send(String gatewayId, Collection<String> connectionIds, OutboundMessage message) {
    writeTo(gatewayId, new Frame.Send(message, connectionIds));
  }

  @Override
  public void close(String gatewayId, String connectionId, int code, String reason) {
    writeTo(gatewayId, new Frame.ClientClose(connectionId, code, reason));
  }

  @Override
  public void autoResponse(RoomKey key, AutoResponsePair pair) {
    Frame.Auto frame = new Frame.Auto(key, Optional.ofNullable(pair));
    byGateway.values().forEach(session -> session.write(frame));
  }

  /**
   * Hands an event back to the link it came from, naming it by its original id so the gateway completes
   * the futures its caller waits on. A failure or a gateway's alarm waits for nothing and goes to its
   * gateway's current link.
   */
  @Override
  public void redirect(RoomEvent event, Optional<String> holder) {
    Optional<LinkFuture<?>> future = LinkFuture.of(event);
    if (future.isPresent()) {
      future
          .get()
          .origin()
          .write(new Frame.Redirect(holder, Frame.Event.of(event, future.get().id())));
    } else if (event instanceof RoomEvent.Failure
        || (event instanceof RoomEvent.Alarm a && !a.fromOwnTimer())) {
      writeTo(event.gatewayId(), new Frame.Redirect(holder, Frame.Event.of(event, 0)));
    } else {
      log.warn("cannot hand back {}: it did not come over a link", event);
      dropped.incrementAndGet();
    }
  }

  /**
   * Any linked gateway can route a call: each goes to the next one in turn, so calls spread over the
   * gateways. With none linked the call fails at once: there is nobody to route it.
   */
  @Override
  public CompletableFuture<RoomResponse> call(RoomKey target, RoomRequest request) {
    List<GatewaySession> linked = List.copyOf(byGateway.values());
    if (linked.isEmpty()) {
      return CompletableFuture.completedFuture(
          RoomResponse.text(
                  HttpStatus.SERVICE_UNAVAILABLE, "No gateway linked to route the call, try again")
              .withHeader(HttpStatus.RETRY_AFTER, HttpStatus.RETRY_AFTER_SECONDS));
    }
    int turn = (int) Math.floorMod(calls.getAndIncrement(), (long) linked.size());
    return linked.get(turn).call(target, request);
  }

  /** A command for {@code gatewayId} was dropped: its connections are told when the gateway links. */
  private void lost(String gatewayId, Frame frame) {
    dropped.incrementAndGet();
    long now = System.currentTimeMillis();
    lostFor.values().removeIf(earlier -> now - earlier.since() > LOST_MEMORY_MILLIS);
    Set<String> lost =
        lostFor.computeIfAbsent(gatewayId, id -> new LostConnections(new HashSet<>(), now)).ids();
    Collection<String> connections =
        frame instanceof Frame.Send send
            ? send.connectionIds()
            : frame instanceof Frame.ClientClose close ? List.of(close.connectionId()) : List.of();
    for (String connection : connections) {
      if (lost.size() >= MAX_LOST_CONNECTIONS) {
        return;
      }
      if (lost.add(connection) && lost.size() == MAX_LOST_CONNECTIONS) {
        log.warn(
            "gateway {}: {} connections lost commands; any more will not be told",
            gatewayId,
            MAX_LOST_CONNECTIONS);
      }
    }
  }

  private void writeTo(String gatewayId, Frame frame) {
    GatewaySession session = byGateway.get(gatewayId);
    if (session != null) {
      session.write(frame);
      return;
    }
    synchronized (unlinked) {
      session = byGateway.get(gatewayId);
      if (session != null) {
        session.write(frame);
        return;
      }
      Waiting waiting = unlinked.computeIfAbsent(gatewayId, id -> new Waiting());
      if (waiting.frames.size() >= MAX_WAITING_FRAMES
          || System.currentTimeMillis() - waiting.since > MAX_WAITING_MILLIS) {
        log.debug(
            "gateway {} is not linked: dropped {}", gatewayId, frame.getClass().getSimpleName());
        lost(gatewayId, frame);
        return;
      }
      waiting.frames.add(frame);
    }
  }
}
