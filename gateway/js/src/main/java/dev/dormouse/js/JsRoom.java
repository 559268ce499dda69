package dev.dormouse.js;

import dev.dormouse.room.AlarmInfo;
import dev.dormouse.room.ConnectDecision;
import dev.dormouse.room.ConnectRequest;
import dev.dormouse.room.Message;
import dev.dormouse.room.Room;
import dev.dormouse.room.RoomContext;
import dev.dormouse.room.RoomKey;
import dev.dormouse.room.RoomRequest;
import dev.dormouse.room.RoomResponse;
import dev.dormouse.room.RoomSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;

/**
 * A Durable Object class as a {@link Room}: each activation ({@link #onStart}) gets a context of its
 * own in which {@code new Cls(ctx, env)} runs; each event becomes a call of the class's handler,
 * driven to the end of its promise. {@link #close} closes the context.
 */
final class JsRoom implements Room, AutoCloseable {

  private final JsModule module;
  private final ActivationSockets sockets = new ActivationSockets();
  private volatile JsActivation activation;

  JsRoom(JsModule module) {
    this.module = module;
  }

  @Override
  public void onStart(RoomContext ctx) {
    JsActivation opened = JsActivation.open(module, ctx, sockets);
    activation = opened;
    try {
      opened.evaluate(module);
    } catch (PolyglotException e) {
      throw new JsHandlerException(CodeErrors.describe(e, module.files()), e);
    }
    RoomKey key = ctx.key();
    activation.run(
        "start",
        opened.exported(),
        module.exportName(),
        key.instance().isEmpty() ? key.room() : key.instance(),
        idHex(key));
  }

  @Override
  public ConnectDecision onConnect(RoomSocket socket, ConnectRequest request) {
    Value answer =
        activation.run(
            "connect",
            sockets.remember(socket),
            HttpParts.url(request.header("host"), request.path(), request.query()),
            HttpParts.upgradeHeaders(request.headers()));
    if (answer.getMember("accepted").asBoolean()) {
      return ConnectDecision.accept(Args.strings(answer.getMember("tags")));
    }
    int status = answer.getMember("status").asInt();
    if (status < 400 || status > 599) {
      throw new JsHandlerException(
          "fetch() answered a WebSocket upgrade with status "
              + status
              + ": accept it with 101 and a webSocket, or refuse it with a 4xx or 5xx status");
    }
    return ConnectDecision.reject(status, answer.getMember("body").asString());
  }

  @Override
  public RoomResponse onRequest(RoomRequest request) {
    Value answer =
        activation.run(
            "request",
            HttpParts.url(request.header("host"), request.fullPath(), request.query()),
            request.method(),
            HttpParts.flat(request.headers()),
            request.body().length == 0
                ? null
                : new String(request.body(), StandardCharsets.ISO_8859_1));
    Map<String, List<String>> headers = new HashMap<>();
    List<String> flat = Args.strings(answer.getMember("headers"));
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      headers
          .computeIfAbsent(
              flat.get(i).toLowerCase(java.util.Locale.ROOT), name -> new java.util.ArrayList<>())
          .add(flat.get(i + 1));
    }
    Value body = answer.getMember("body");
    return new RoomResponse(
        answer.getMember("status").asInt(),
        headers,
        body.isNull() ? new byte[0] : body.asString().getBytes(StandardCharsets.ISO_8859_1));
  }

  @Override
  public void onMessage(RoomSocket socket, Message message) {
    String id = sockets.remember(socket);
    if (message.isText()) {
      activation.run("message", id, message.text(), null);
    } else {
      activation.run("message", id, null, new String(message.bytes(), StandardCharsets.ISO_8859_1));
    }
  }

  @Override
  public void onClose(RoomSocket socket, int code, String reason, boolean wasClean) {
    activation.run("close", sockets.remember(socket), code, reason, wasClean);
  }

  @Override
  public void onError(RoomSocket socket, Throwable error) {
    activation.run(
        "error",
        sockets.remember(socket),
        error.getMessage() == null ? error.toString() : error.getMessage());
  }

  @Override
  public void onAlarm(AlarmInfo info) {
    activation.run("alarm", info.retryCount());
  }

  @Override
  public void close() {
    JsActivation open = activation;
    if (open != null) {
      open.close();
    }
  }

  /** {@code ctx.id.toString()}: 64 hex digits, as a Durable Object id, from the instance's key. */
  static String idHex(RoomKey key) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(key.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }
}
