package dev.dormouse.link.wire;

import dev.dormouse.contract.RoomKey;
import dev.dormouse.link.ClientSink;
import dev.dormouse.link.OutboundMessage;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.room.AutoResponsePair;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateways linked to this owner, by gateway id, and the owner's way back to their clients: each
 * command goes to the link of the gateway that holds the sockets. A command for a gateway that is not
 * linked is dropped and counted; its sockets are gone or will be reaped with it.
 */
final class GatewaySessions implements ClientSink {

  private static final Logger log = LoggerFactory.getLogger(GatewaySessions.class);

  private final ConcurrentHashMap<String, GatewaySession> byGateway = new ConcurrentHashMap<>();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();

  /** A gateway that reconnects before its old link was seen dead replaces it. */
  void register(GatewaySession session) {
    GatewaySession previous = byGateway.put(session.gatewayId(), session);
    if (previous != null) {
      previous.close("replaced by a newer link from the same gateway");
    }
  }

  void unregister(GatewaySession session) {
    byGateway.remove(session.gatewayId(), session);
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
   * the futures its caller waits on. A failure waits for nothing and goes to its gateway's current link.
   */
  @Override
  public void redirect(RoomEvent event, Optional<String> holder) {
    Optional<LinkFuture<?>> future = LinkFuture.of(event);
    if (future.isPresent()) {
      future.get().origin().write(new Frame.Redirect(holder, Frame.Event.of(event, future.get().id())));
    } else if (event instanceof RoomEvent.Failure) {
      writeTo(event.gatewayId(), new Frame.Redirect(holder, Frame.Event.of(event, 0)));
    } else {
      log.warn("cannot hand back {}: it did not come over a link", event);
      dropped.incrementAndGet();
    }
  }

  private void writeTo(String gatewayId, Frame frame) {
    GatewaySession session = byGateway.get(gatewayId);
    if (session == null) {
      log.debug("gateway {} is not linked: dropped {}", gatewayId, frame.getClass().getSimpleName());
      dropped.incrementAndGet();
      return;
    }
    session.write(frame);
  }
}
