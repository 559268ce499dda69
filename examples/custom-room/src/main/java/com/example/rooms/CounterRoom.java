package com.example.rooms;

import dev.dormouse.room.Message;
import dev.dormouse.room.Room;
import dev.dormouse.room.RoomContext;
import dev.dormouse.room.RoomSocket;

/**
 * A counter shared by everyone in the room. {@code +1} adds one and tells every connection the new
 * count; {@code get} tells only the sender. The count lives in the room's storage, not in a field, so
 * it survives the room going to sleep and waking up again.
 */
public class CounterRoom implements Room {

  private RoomContext ctx;

  @Override
  public void onStart(RoomContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void onMessage(RoomSocket socket, Message message) {
    if (!message.isText()) {
      socket.send("send text: +1 or get");
      return;
    }
    switch (message.text()) {
      case "+1" -> {
        long count = count() + 1;
        ctx.storage().put("count", Long.toString(count));
        ctx.broadcast("count " + count, ctx.getWebSockets());
      }
      case "get" -> socket.send("count " + count());
      default -> socket.send("unknown command '" + message.text() + "': send +1 or get");
    }
  }

  private long count() {
    return ctx.storage().get("count").map(Long::parseLong).orElse(0L);
  }
}
