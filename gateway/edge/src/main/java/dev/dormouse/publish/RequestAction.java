package dev.dormouse.publish;

import dev.dormouse.config.RoomSettings;
import dev.dormouse.gateway.RoomExchanges;
import dev.dormouse.gateway.RoomRequests;
import dev.dormouse.room.RequestSource;
import dev.dormouse.room.RoomKey;
import dev.dormouse.room.RoomRequest;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.SameThreadExecutor;
import java.util.Set;

/**
 * {@code ANY …/request/{path…}}: a backend's HTTP request handed to the room's {@code onRequest} as
 * if a client had sent it to {@code /rooms/{room}[/{instance}]/{path…}} — routed, and waking the
 * instance, like any event — and the room's answer returned as it is, the request marked {@link
 * RequestSource#BACKEND} so that the room can tell it from a client's. The bearer token is for the
 * gateway: the room never sees the {@code Authorization} header.
 */
final class RequestAction implements PublishAction {

  static final String NAME = "request";

  private static final Set<HttpString> METHODS =
      Set.of(
          Methods.GET,
          Methods.HEAD,
          Methods.POST,
          Methods.PUT,
          Methods.PATCH,
          Methods.DELETE,
          Methods.OPTIONS);

  private final RoomRequests requests;

  RequestAction(RoomRequests requests) {
    this.requests = requests;
  }

  @Override
  public Set<HttpString> methods() {
    return METHODS;
  }

  @Override
  public void handle(HttpServerExchange exchange, RoomSettings room, RoomKey key, String rest) {
    String path = "/" + rest;
    String fullPath =
        "/rooms/" + key.room() + (key.instance().isEmpty() ? "" : "/" + key.instance()) + path;
    LimitedBody.read(
        exchange,
        room.maxMessageBytes(),
        "body",
        (received, body) -> {
          RoomRequest request =
              RoomExchanges.request(
                  received, path, fullPath, body, RequestSource.BACKEND, "authorization");
          // The answer comes later, on any thread: the exchange must not end with this call.
          received.dispatch(
              SameThreadExecutor.INSTANCE,
              () ->
                  requests
                      .send(key, request)
                      .whenComplete(
                          (response, error) ->
                              RoomExchanges.answerLater(received, key, response, error)));
        });
  }
}
