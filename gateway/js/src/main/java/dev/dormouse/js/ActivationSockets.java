package dev.dormouse.js;

import dev.dormouse.room.RoomSocket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sockets an activation's code has been handed, by id: the JavaScript side names a socket by
 * its id (it keeps one WebSocket object per id), and the host calls find the socket again here.
 */
final class ActivationSockets {

  private final Map<String, RoomSocket> byId = new ConcurrentHashMap<>();

  /** Remembers the socket; its id is what the code is given. */
  String remember(RoomSocket socket) {
    byId.put(socket.id(), socket);
    return socket.id();
  }

  RoomSocket get(String id) {
    RoomSocket socket = byId.get(id);
    if (socket == null) {
      throw new IllegalStateException("no socket " + id + " in this activation");
    }
    return socket;
  }
}
