package dev.dormouse.room.builtin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dormouse.room.AlarmInfo;
import dev.dormouse.room.ConnectDecision;
import dev.dormouse.room.ConnectRequest;
import dev.dormouse.room.Message;
import dev.dormouse.room.Room;
import dev.dormouse.room.RoomContext;
import dev.dormouse.room.RoomSocket;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A chat room: every text message is broadcast to everyone as
 * {@code {"type":"message","from":ID,"name":NAME,"text":TEXT}}. A client picks its name with
 * {@code ?name=}.
 *
 * <p>Up to {@link #NOTICES_UP_TO} members, joins and leaves are announced to everyone as {@code
 * {"type":"join"|"leave","id":ID,"name":NAME}} (the joiner sees its own join, which tells it its
 * id). In a larger room a notice per join to every member would make N joins cost N² frames, so
 * there the joiner alone gets its {@code join}, and the others hear of joins and leaves together,
 * at most once per {@link #NOTICE_INTERVAL}: {@code
 * {"type":"joins"|"leaves","count":K,"names":[the first few],"members":N}} ({@link Presence}).
 */
public class ChatRoom implements Room {

  /** Up to this many members every join and leave is announced to everyone, each on its own. */
  static final int NOTICES_UP_TO = 100;

  /** How often a larger room announces the joins and leaves since its last notice. */
  static final Duration NOTICE_INTERVAL = Duration.ofSeconds(1);

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

  private final Presence joins = new Presence("joins");
  private final Presence leaves = new Presence("leaves");
  private RoomContext ctx;
  private boolean noticeDue;

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
    String join = event("join", "id", socket.id(), "name", name);
    if (everyone.size() <= NOTICES_UP_TO) {
      announce(join, everyone);
    } else {
      socket.send(join);
      joins.add(name);
      scheduleNotice();
    }
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
    List<RoomSocket> everyone = ctx.getWebSockets();
    // The room's size with the one leaving, as a join counts the joiner: both sides of the
    // threshold agree on what a room of 100 is.
    if (everyone.size() + 1 <= NOTICES_UP_TO) {
      announce(event("leave", "id", socket.id(), "name", nameOf(socket)), everyone);
    } else {
      leaves.add(nameOf(socket));
      scheduleNotice();
    }
  }

  @Override
  public void onAlarm(AlarmInfo info) {
    noticeDue = false;
    sendPendingNotices();
  }

  /** A notice of its own, after what was pending, so everyone hears of joins and leaves in order. */
  private void announce(String notice, List<RoomSocket> to) {
    sendPendingNotices();
    ctx.broadcast(notice, to);
  }

  private void sendPendingNotices() {
    List<RoomSocket> everyone = ctx.getWebSockets();
    for (Presence presence : List.of(joins, leaves)) {
      presence.drain(everyone.size()).ifPresent(notice -> ctx.broadcast(notice, everyone));
    }
  }

  /**
   * One alarm per interval, not per join: the alarm is a Redis write. A notice still pending when
   * the instance leaves memory (hibernating within the interval) is not sent: the fresh instance's
   * alarm finds nothing pending.
   */
  private void scheduleNotice() {
    if (!noticeDue) {
      ctx.setAlarm(Instant.now().plus(NOTICE_INTERVAL));
      noticeDue = true;
    }
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
