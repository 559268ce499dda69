package dev.dormouse.node;

import dev.dormouse.cluster.OwnerEndpoint;
import dev.dormouse.gateway.ClientConnections;
import dev.dormouse.link.ClientSink;
import dev.dormouse.link.OutboundMessage;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.room.AutoResponsePair;
import dev.dormouse.room.RoomKey;
import dev.dormouse.routing.OwnerRouter;
import java.util.Collection;
import java.util.Optional;

/**
 * What one owner asks of this gateway, arriving over that owner's link: client commands go to the
 * gateway's sockets, handed-back events to the router — which must know which owner handed them back.
 */
final class OwnerFacingSink implements ClientSink {

  private final OwnerEndpoint owner;
  private final ClientConnections connections;
  private final OwnerRouter router;

  OwnerFacingSink(OwnerEndpoint owner, ClientConnections connections, OwnerRouter router) {
    this.owner = owner;
    this.connections = connections;
    this.router = router;
  }

  @Override
  public void send(String gatewayId, Collection<String> connectionIds, OutboundMessage message) {
    connections.send(connectionIds, message);
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
}
