package dev.dormouse.testing;

import dev.dormouse.room.AlarmInfo;
import dev.dormouse.room.AttachmentTooLargeException;
import dev.dormouse.room.ConnectDecision;
import dev.dormouse.room.ConnectRequest;
import dev.dormouse.room.Message;
import dev.dormouse.room.Room;
import dev.dormouse.room.RoomContext;
import dev.dormouse.room.RoomSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A room for tests: it shows what it sees. Connect with {@code ?name=N&tags=a,b}; then send
 * {@code who}, {@code tagged:T}, {@code retag:a,b}, {@code attach:SIZE}, {@code store:K=V},
 * {@code load:K}, {@code alarm:MILLIS}, {@code alarm-fail:N:MILLIS} (an alarm whose first N attempts
 * throw, each announced as {@code alarm attempt RETRYCOUNT}; every onAlarm is counted in storage key
 * {@code alarms}), {@code throw}, {@code sleep:MILLIS}, {@code flood:COUNT:SIZE}
 * (that many messages of that size to the sender), {@code stamp:TEXT} (answered {@code stamp:TEXT by
 * INSTANCE}, naming the live instance that handled it: a random id each {@code onStart}), {@code
 * stamp-all:TEXT} (the same sent to every socket of the room), {@code ctx-tags} (the sender's tags as
 * {@code ctx.getTags} has them), {@code socket-timeout:MILLIS} (sets the hibernatable socket event
 * timeout; 0 removes it), or anything else to have it echoed as {@code echo:TEXT}. Socket errors
 * ({@code onError}) and closes are written to storage as {@code error:NAME} and {@code closed:NAME}.
 */
public class ProbeRoom implements Room {

  /** The attachment. */
  public static class Visitor {
    public String name;

    public Visitor() {}

    Visitor(String name) {
      this.name = name;
    }
  }

  private RoomContext ctx;
  private String instance;

  @Override
  public void onStart(RoomContext ctx) {
    this.ctx = ctx;
    this.instance = UUID.randomUUID().toString().substring(0, 8);
  }

  @Override
  public ConnectDecision onConnect(RoomSocket socket, ConnectRequest request) {
    if (request.queryParameter("refuse").isPresent()) {
      return ConnectDecision.reject(409, "refused by the room");
    }
    socket.serializeAttachment(new Visitor(request.queryParameter("name").orElse("?")));
    List<String> tags =
        request.queryParameter("tags").map(t -> Arrays.asList(t.split(","))).orElse(List.of());
    return ConnectDecision.accept(tags);
  }

  @Override
  public void onMessage(RoomSocket socket, Message message) throws Exception {
    if (!message.isText()) {
      socket.send(message.bytes());
      return;
    }
    String text = message.text();
    String arg = text.contains(":") ? text.substring(text.indexOf(':') + 1) : "";
    if (text.equals("who")) {
      String who =
          ctx.getWebSockets().stream()
              .map(s -> s.deserializeAttachment(Visitor.class).name + s.tags())
              .collect(Collectors.joining(" "));
      ctx.broadcast("who " + who, ctx.getWebSockets());
    } else if (text.startsWith("tagged:")) {
      socket.send("tagged " + ctx.getWebSockets(arg).size());
    } else if (text.startsWith("retag:")) {
      socket.setTags(Arrays.asList(arg.split(",")));
      socket.send("tags " + socket.tags());
    } else if (text.startsWith("attach:")) {
      try {
        socket.serializeAttachment(new Visitor("x".repeat(Integer.parseInt(arg))));
        socket.send("attached");
      } catch (AttachmentTooLargeException e) {
        socket.send("refused: " + e.getMessage());
      }
    } else if (text.startsWith("store:")) {
      String[] kv = arg.split("=", 2);
      ctx.storage().put(kv[0], kv[1]);
      socket.send("stored");
    } else if (text.startsWith("load:")) {
      socket.send("loaded " + ctx.storage().get(arg).orElse("nothing"));
    } else if (text.startsWith("alarm:")) {
      ctx.setAlarm(Instant.now().plusMillis(Long.parseLong(arg)));
      socket.send("alarm set");
    } else if (text.startsWith("alarm-fail:")) {
      String[] failuresAndMillis = arg.split(":");
      ctx.storage().put("alarm-fail", failuresAndMillis[0]);
      ctx.setAlarm(Instant.now().plusMillis(Long.parseLong(failuresAndMillis[1])));
      socket.send("alarm set");
    } else if (text.equals("throw")) {
      throw new IllegalStateException("room code failed on purpose");
    } else if (text.startsWith("sleep:")) {
      Thread.sleep(Long.parseLong(arg));
      socket.send("slept");
    } else if (text.startsWith("flood:")) {
      String[] countAndSize = arg.split(":");
      String chunk = "z".repeat(Integer.parseInt(countAndSize[1]));
      for (int i = 0; i < Integer.parseInt(countAndSize[0]); i++) {
        socket.send(chunk);
      }
      socket.send("flooded");
    } else if (text.startsWith("count:")) {
      // Numbered frames, a close, and one frame after it that must never arrive.
      String[] countAndSize = arg.split(":");
      int count = Integer.parseInt(countAndSize[0]);
      String pad = "z".repeat(Integer.parseInt(countAndSize[1]));
      for (int i = 0; i < count; i++) {
        socket.send(i + ":" + pad);
      }
      socket.close(1000, "counted " + count);
      socket.send("after the close");
    } else if (text.startsWith("stamp:")) {
      socket.send(text + " by " + instance);
    } else if (text.startsWith("stamp-all:")) {
      ctx.broadcast("stamp:" + arg + " by " + instance, ctx.getWebSockets());
    } else if (text.equals("ctx-tags")) {
      socket.send("ctx-tags " + ctx.getTags(socket));
    } else if (text.startsWith("socket-timeout:")) {
      try {
        ctx.setHibernatableWebSocketEventTimeout(Duration.ofMillis(Long.parseLong(arg)));
        socket.send("socket timeout " + ctx.getHibernatableWebSocketEventTimeout().orElse(null));
      } catch (IllegalArgumentException e) {
        socket.send("refused: " + e.getMessage());
      }
    } else if (text.equals("autots")) {
      socket.send("autots " + ctx.getWebSocketAutoResponseTimestamp(socket).isPresent());
    } else {
      socket.send("echo:" + text);
    }
  }

  @Override
  public void onClose(RoomSocket socket, int code, String reason, boolean wasClean) {
    ctx.storage()
        .put("closed:" + socket.deserializeAttachment(Visitor.class).name, code + " " + wasClean);
  }

  @Override
  public void onError(RoomSocket socket, Throwable error) {
    ctx.storage()
        .put(
            "error:" + socket.deserializeAttachment(Visitor.class).name,
            error.getClass().getSimpleName() + ": " + error.getMessage());
  }

  @Override
  public void onAlarm(AlarmInfo info) {
    int rung = Integer.parseInt(ctx.storage().get("alarms").orElse("0")) + 1;
    ctx.storage().put("alarms", Integer.toString(rung));
    int failures = Integer.parseInt(ctx.storage().get("alarm-fail").orElse("0"));
    if (failures > 0) {
      ctx.broadcast("alarm attempt " + info.retryCount(), ctx.getWebSockets());
    }
    if (info.retryCount() < failures) {
      throw new IllegalStateException("alarm failed on purpose");
    }
    ctx.broadcast("alarm rang", ctx.getWebSockets());
  }
}
