package dev.dormouse.link;

import dev.dormouse.room.AutoResponsePair;
import dev.dormouse.room.RoomKey;
import dev.dormouse.room.RoomRequest;
import dev.dormouse.room.RoomResponse;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;

/** What an owner asks of the gateways that hold a room's sockets. Methods never block. */
public interface ClientSink extends ClientCloser {

  /** Sends one message to connections held by one gateway; the payload is shared, not copied. */
  void send(String gatewayId, Collection<String> connectionIds, OutboundMessage message);

  /** The room closes a connection. */
  @Override
  void close(String gatewayId, String connectionId, int code, String reason);

  /** The room changed its auto-response pair ({@code null}: removed). */
  void autoResponse(RoomKey key, AutoResponsePair pair);

  /**
   * This owner may not handle the event (another owner holds the room's lease, or this one is
   * draining): the gateway sends it on to {@code holder}, or to whichever owner its routing picks
   * when no holder is known.
   */
  void redirect(RoomEvent event, java.util.Optional<String> holder);

  /**
   * A room calls another room instance (issue 13): a gateway routes the request to its owner as a
   * {@link RoomEvent.Request}. Always completes: with the callee's answer, or 503 when no gateway is
   * linked or the one carrying the call is lost before answering.
   */
  CompletableFuture<RoomResponse> call(RoomKey target, RoomRequest request);
}
