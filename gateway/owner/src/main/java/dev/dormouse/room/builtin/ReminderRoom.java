package dev.dormouse.room.builtin;

import dev.dormouse.room.AlarmInfo;
import dev.dormouse.room.Message;
import dev.dormouse.room.Room;
import dev.dormouse.room.RoomContext;
import dev.dormouse.room.RoomSocket;
import java.time.Instant;
import java.util.Optional;

/**
 * Reminders on an alarm: {@code remind:SECONDS:TEXT} asks for {@code reminder: TEXT} to be sent to
 * every connection of the room SECONDS from now — also if the room hibernated, its owner restarted or
 * its owners were scaled to zero meanwhile. While nobody is connected to hear it, {@code onAlarm}
 * throws, so the alarm is retried with backoff (the reminder then says which retry delivered it); past
 * the last retry it is dropped. One reminder at a time: a new one replaces it.
 */
public class ReminderRoom implements Room {

  private static final String REMINDER = "reminder";

  private RoomContext ctx;

  @Override
  public void onStart(RoomContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void onMessage(RoomSocket socket, Message message) {
    String text = message.isText() ? message.text() : "";
    String[] parts = text.split(":", 3);
    if (parts.length != 3 || !parts[0].equals("remind") || !parts[1].matches("\\d{1,9}")) {
      socket.send("usage: remind:SECONDS:TEXT");
      return;
    }
    Instant due = Instant.now().plusSeconds(Long.parseLong(parts[1]));
    ctx.storage().put(REMINDER, parts[2]);
    ctx.setAlarm(due);
    socket.send("reminder set for " + due);
  }

  @Override
  public void onAlarm(AlarmInfo info) {
    Optional<String> reminder = ctx.storage().get(REMINDER);
    if (reminder.isEmpty()) {
      return;
    }
    if (ctx.getWebSockets().isEmpty() && info.retryCount() < AlarmInfo.MAX_RETRIES) {
      throw new IllegalStateException("nobody connected to remind yet; the alarm is retried");
    }
    ctx.broadcast(
        "reminder: "
            + reminder.get()
            + (info.isRetry() ? " (retry " + info.retryCount() + ")" : ""),
        ctx.getWebSockets());
    ctx.storage().delete(REMINDER);
  }
}
