package dev.dormouse.room.builtin;

import dev.dormouse.room.Message;
import dev.dormouse.room.Room;
import dev.dormouse.room.RoomContext;
import dev.dormouse.room.RoomRequest;
import dev.dormouse.room.RoomResponse;
import dev.dormouse.room.RoomSocket;

/**
 * A counter kept in storage, over plain HTTP: {@code GET} answers its value, {@code POST} adds the
 * body (an integer; empty adds 1) and answers the new value, which every connected socket hears too.
 * A socket's message (anything) is answered with the value.
 */
public class CounterRoom implements Room {

  private static final String VALUE = "value";

  private RoomContext ctx;

  @Override
  public void onStart(RoomContext context) {
    this.ctx = context;
  }

  @Override
  public RoomResponse onRequest(RoomRequest request) {
    switch (request.method()) {
      case "GET":
        return RoomResponse.json(200, json(value()));
      case "POST":
        long by;
        try {
          String body = request.bodyText().trim();
          by = body.isEmpty() ? 1 : Long.parseLong(body);
        } catch (NumberFormatException e) {
          return RoomResponse.text(400, "POST an integer to add, or nothing to add 1");
        }
        long value = value() + by;
        ctx.storage().put(VALUE, Long.toString(value));
        ctx.broadcast(Long.toString(value), ctx.getWebSockets());
        return RoomResponse.json(200, json(value));
      default:
        return RoomResponse.text(405, "GET the value or POST an amount to add")
            .withHeader("allow", "GET, POST");
    }
  }

  @Override
  public void onMessage(RoomSocket socket, Message message) {
    socket.send(Long.toString(value()));
  }

  private long value() {
    return ctx.storage().get(VALUE).map(Long::parseLong).orElse(0L);
  }

  private String json(long value) {
    return "{\"instance\":\"" + ctx.key().instance() + "\",\"value\":" + value + "}";
  }
}
