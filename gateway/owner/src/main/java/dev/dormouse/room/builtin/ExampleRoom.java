package dev.dormouse.room.builtin;

import dev.dormouse.room.AutoResponsePair;
import dev.dormouse.room.ConnectDecision;
import dev.dormouse.room.ConnectRequest;
import dev.dormouse.room.Message;
import dev.dormouse.room.Room;
import dev.dormouse.room.RoomContext;
import dev.dormouse.room.RoomSocket;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Cloudflare's WebSocket Hibernation example, observable behaviour byte for byte: a session id in
 * each socket's attachment, ping/pong without waking, every message answered three ways. Unlike the
 * original it drops a closed session instead of later throwing on it.
 */
public class ExampleRoom implements Room {

  static final String CLOSING_REASON = "Durable Object is closing WebSocket";

  /** The attachment: public field named as in the original so its JSON is {@code {"id":"…"}}. */
  public static class Session {
    public String id;

    public Session() {}

    Session(String id) {
      this.id = id;
    }
  }

  private final Map<RoomSocket, Session> sessions = new LinkedHashMap<>();

  @Override
  public void onStart(RoomContext ctx) {
    for (RoomSocket ws : ctx.getWebSockets()) {
      Session attachment = ws.deserializeAttachment(Session.class);
      if (attachment != null) {
        sessions.put(ws, attachment);
      }
    }
    ctx.setWebSocketAutoResponse(new AutoResponsePair("ping", "pong"));
  }

  @Override
  public ConnectDecision onConnect(RoomSocket socket, ConnectRequest request) {
    Session session = new Session(UUID.randomUUID().toString());
    socket.serializeAttachment(session);
    sessions.put(socket, session);
    return ConnectDecision.accept();
  }

  @Override
  public void onMessage(RoomSocket ws, Message message) {
    // A JavaScript template literal renders an ArrayBuffer as "[object ArrayBuffer]".
    String text = message.isText() ? message.text() : "[object ArrayBuffer]";
    Session session = sessions.get(ws);
    ws.send(line(text, session.id));
    sessions.forEach((socket, attachment) -> socket.send(line(text, attachment.id)));
    sessions.forEach(
        (socket, attachment) -> {
          if (socket != ws) {
            socket.send(line(text, attachment.id));
          }
        });
  }

  private String line(String text, String id) {
    return "[Durable Object] message: "
        + text
        + ", from: "
        + id
        + ". Total connections: "
        + sessions.size();
  }

  @Override
  public void onClose(RoomSocket ws, int code, String reason, boolean wasClean) {
    sessions.remove(ws);
    ws.close(code, CLOSING_REASON);
  }
}
