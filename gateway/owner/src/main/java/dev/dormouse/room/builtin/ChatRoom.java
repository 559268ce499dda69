package dev.dormouse.room.builtin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dormouse.room.ConnectDecision;
import dev.dormouse.room.ConnectRequest;
import dev.dormouse.room.Message;
import dev.dormouse.room.Room;
import dev.dormouse.room.RoomContext;
import dev.dormouse.room.RoomSocket;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A chat room: every text message is broadcast to everyone as
 * {@code {"type":"message","from":ID,"name":NAME,"text":TEXT}}; joins and leaves are announced as
 * {@code {"type":"join"|"leave","id":ID,"name":NAME}} (the joiner sees its own join, which tells it
 * its id). A client picks its name with {@code ?name=}.
 */
public class ChatRoom implements Room {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_NAME_LENGTH = 64;

  /** The attachment of each socket. */
  public static class Member {
    public String name;

    public Member() {}

    Member(String name) {
      this.name = name;
    }
  }

  private RoomContext ctx;

  @Override
  public void onStart(RoomContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public ConnectDecision onConnect(RoomSocket socket, ConnectRequest request) {
    String name = request.queryParameter("name").orElse("anonymous");
    if (name.isBlank() || name.length() > MAX_NAME_LENGTH) {
      return ConnectDecision.reject(400, "name must be 1 to " + MAX_NAME_LENGTH + " characters");
    }
    socket.serializeAttachment(new Member(name));
    List<RoomSocket> everyone = new ArrayList<>(ctx.getWebSockets());
    everyone.add(socket);
    ctx.broadcast(event("join", "id", socket.id(), "name", name), everyone);
    return ConnectDecision.accept("member");
  }

  @Override
  public void onMessage(RoomSocket socket, Message message) {
    if (!message.isText()) {
      socket.send(event("error", "message", "chat takes text messages only"));
      return;
    }
    ctx.broadcast(
        event("message", "from", socket.id(), "name", nameOf(socket), "text", message.text()),
        ctx.getWebSockets());
  }

  @Override
  public void onClose(RoomSocket socket, int code, String reason, boolean wasClean) {
    ctx.broadcast(event("leave", "id", socket.id(), "name", nameOf(socket)), ctx.getWebSockets());
  }

  private static String nameOf(RoomSocket socket) {
    Member member = socket.deserializeAttachment(Member.class);
    return member == null ? "anonymous" : member.name;
  }

  private static String event(String type, String... fields) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("type", type);
    for (int i = 0; i < fields.length; i += 2) {
      body.put(fields[i], fields[i + 1]);
    }
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
