package dev.dormouse.room.builtin;

import dev.dormouse.room.ConnectDecision;
import dev.dormouse.room.ConnectRequest;
import dev.dormouse.room.Message;
import dev.dormouse.room.Room;
import dev.dormouse.room.RoomContext;
import dev.dormouse.room.RoomSocket;
import dev.dormouse.room.StorageBatch;
import java.time.Duration;

/**
 * A shared notebook per instance, kept in the room's storage, so it outlives every activation. Text
 * commands, one per message: {@code put NAME TEXT}, {@code get NAME}, {@code list PREFIX} (names in
 * order, a page of 100), {@code rename OLD NEW} (one atomic batch: the note is never lost nor
 * doubled), {@code delete NAME}, {@code clear}. A binary message is kept as the sender's file (its
 * bytes exactly) and {@code file} sends it back. Writes are announced to everyone as
 * {@code changed NAME by AUTHOR}, the author being the tag the socket joined with ({@code ?name=}).
 * A malformed command, and what the room's limits refuse, is answered {@code refused: …}.
 */
public class NotesRoom implements Room {

  private static final String NOTE = "note:";
  private static final String FILE = "file:";
  private static final int PAGE = 100;
  private static final int MAX_AUTHOR_LENGTH = 64;

  /**
   * Every command is a Redis call or two: one still running after 5 s is stuck, and is cut (the
   * instance reset) rather than holding the notebook for the room's whole eventTimeout.
   */
  private static final Duration SOCKET_EVENT_TIMEOUT = Duration.ofSeconds(5);

  private RoomContext ctx;

  @Override
  public void onStart(RoomContext ctx) {
    this.ctx = ctx;
    if (ctx.getHibernatableWebSocketEventTimeout().isEmpty()) {
      ctx.setHibernatableWebSocketEventTimeout(SOCKET_EVENT_TIMEOUT);
    }
  }

  @Override
  public ConnectDecision onConnect(RoomSocket socket, ConnectRequest request) {
    String author = request.queryParameter("name").orElse("anonymous");
    if (author.isBlank() || author.length() > MAX_AUTHOR_LENGTH) {
      return ConnectDecision.reject(400, "name must be 1 to " + MAX_AUTHOR_LENGTH + " characters");
    }
    return ConnectDecision.accept(author);
  }

  @Override
  public void onMessage(RoomSocket socket, Message message) {
    try {
      if (message.isText()) {
        command(socket, message.text());
      } else {
        ctx.storage().put(FILE + author(socket), message.bytes());
        socket.send("file of " + message.bytes().length + " bytes kept");
      }
    } catch (IllegalArgumentException refused) {
      // A command missing its argument, or past the storage's limits (a value or key too large).
      socket.send("refused: " + refused.getMessage());
    }
  }

  private void command(RoomSocket socket, String text) {
    String[] words = text.split(" ", 3);
    switch (words[0]) {
      case "put" -> {
        ctx.storage().put(NOTE + argument(words, 1), argument(words, 2));
        changed(argument(words, 1), socket);
      }
      case "get" ->
          socket.send(
              ctx.storage()
                  .get(NOTE + argument(words, 1))
                  .map(note -> "note " + words[1] + " " + note)
                  .orElse("no note " + words[1]));
      case "list" ->
          socket.send(
              "notes "
                  + String.join(
                      ",",
                      ctx
                          .storage()
                          .list(NOTE + (words.length > 1 ? words[1] : ""), PAGE)
                          .keySet()
                          .stream()
                          .map(key -> key.substring(NOTE.length()))
                          .toList()));
      case "rename" -> rename(socket, argument(words, 1), argument(words, 2));
      case "delete" -> {
        boolean existed = ctx.storage().delete(NOTE + argument(words, 1));
        socket.send("deleted " + words[1] + " " + existed);
      }
      case "clear" -> {
        ctx.storage().deleteAll();
        ctx.broadcast("cleared by " + author(socket), ctx.getWebSockets());
      }
      case "file" ->
          ctx.storage()
              .getBytes(FILE + author(socket))
              .ifPresentOrElse(socket::send, () -> socket.send("no file"));
      default -> socket.send("unknown command " + words[0]);
    }
  }

  private void rename(RoomSocket socket, String from, String to) {
    String note = ctx.storage().get(NOTE + from).orElse(null);
    if (note == null) {
      socket.send("no note " + from);
      return;
    }
    ctx.storage().write(new StorageBatch().delete(NOTE + from).put(NOTE + to, note));
    changed(to, socket);
  }

  private void changed(String name, RoomSocket by) {
    ctx.broadcast("changed " + name + " by " + author(by), ctx.getWebSockets());
  }

  private String author(RoomSocket socket) {
    return ctx.getTags(socket).iterator().next();
  }

  private static String argument(String[] words, int index) {
    if (words.length <= index) {
      throw new IllegalArgumentException("missing argument " + index + " of " + words[0]);
    }
    return words[index];
  }
}
