package dev.dormouse.node;

import dev.dormouse.cluster.OwnerEndpoint;
import dev.dormouse.gateway.ClientConnections;
import dev.dormouse.gateway.RoomRequests;
import dev.dormouse.link.ClientSink;
import dev.dormouse.link.OutboundMessage;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.room.AutoResponsePair;
import dev.dormouse.room.RoomKey;
import dev.dormouse.room.RoomRequest;
import dev.dormouse.room.RoomResponse;
import dev.dormouse.routing.OwnerRouter;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What one owner asks of this gateway, arriving over that owner's link: client commands go to the
 * gateway's sockets, handed-back events to the router — which must know which owner handed them back —
 * and its rooms' calls to other rooms, routed like any HTTP request into a room.
 */
final class OwnerFacingSink implements ClientSink {

  private final OwnerEndpoint owner;
  private final ClientConnections connections;
  private final OwnerRouter router;
  private final RoomRequests requests;

  OwnerFacingSink(
      OwnerEndpoint owner,
      ClientConnections connections,
      OwnerRouter router,
      RoomRequests requests) {
    this.owner = owner;
    this.connections = connections;
    this.router = router;
    this.requests = requests;
  }

  @Override
  public void send(String gatewayId, Collection<String> connectionIds, OutboundMessage message) {
    connections.deliver(connectionIds, message);
  }

  @Override
  public void close(String gatewayId, String connectionId, int code, String reason) {
    connections.close(connectionId, code, reason);
  }

  @Override
  public void autoResponse(RoomKey key, AutoResponsePair pair) {
    connections.autoResponse(key, pair);
  }

  @Override
  public void redirect(RoomEvent event, Optional<String> holder) {
    router.redirected(owner, event, holder);
  }

  @Override
  public CompletableFuture<RoomResponse> call(RoomKey target, RoomRequest request) {
    return requests.call(target, request);
  }
}
