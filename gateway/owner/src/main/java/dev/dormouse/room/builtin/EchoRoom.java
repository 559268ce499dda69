package dev.dormouse.room.builtin;

import dev.dormouse.room.Message;
import dev.dormouse.room.Room;
import dev.dormouse.room.RoomSocket;

/** Sends every message back to its sender, text as text and binary as binary. */
public class EchoRoom implements Room {

  @Override
  public void onMessage(RoomSocket socket, Message message) {
    if (message.isText()) {
      socket.send(message.text());
    } else {
      socket.send(message.bytes());
    }
  }
}
