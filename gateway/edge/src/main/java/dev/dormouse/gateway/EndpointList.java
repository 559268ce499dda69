package dev.dormouse.gateway;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/** Any path that is not a WebSocket endpoint gets the list of endpoints, as the seed's Worker does. */
final class EndpointList implements HttpHandler {

  static final String BODY =
      "Supported endpoints:\n"
          + "/websocket: Expects a WebSocket upgrade request\n"
          + "/rooms/{room}: Expects a WebSocket upgrade request into the named room\n"
          + "/rooms/{room}/{instance}: Expects a WebSocket upgrade request into an instance of a room with instances";

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    UpgradeHandler.respond(exchange, 200, BODY);
  }
}
