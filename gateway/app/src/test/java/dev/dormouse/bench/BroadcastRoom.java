package dev.dormouse.bench;

import dev.dormouse.room.Message;
import dev.dormouse.room.Room;
import dev.dormouse.room.RoomContext;
import dev.dormouse.room.RoomSocket;

/** Sends every text message to every socket of the instance, the sender included: one encode, N sends. */
public class BroadcastRoom implements Room {

  private RoomContext ctx;

  @Override
  public void onStart(RoomContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void onMessage(RoomSocket socket, Message message) {
    ctx.broadcast(message.text(), ctx.getWebSockets());
  }
}
