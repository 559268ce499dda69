package dev.dormouse.publish;

import dev.dormouse.config.RoomSettings;
import dev.dormouse.room.RoomKey;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import java.util.Set;

/**
 * What one action of the publish API does with a request to it, once the token, the room and the
 * method are checked: {@code messages} ({@link MessagesAction}); forwarding a request to the room's
 * {@code onRequest} is another.
 */
interface PublishAction {

  /** The methods it takes; others get 405 with these in {@code Allow}. */
  Set<HttpString> methods();

  /**
   * Answers the request, on the I/O thread it came on: it must not block there.
   *
   * @param rest the path after the action's segment, "" when none
   */
  void handle(HttpServerExchange exchange, RoomSettings room, RoomKey key, String rest);
}
