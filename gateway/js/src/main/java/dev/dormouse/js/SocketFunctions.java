package dev.dormouse.js;

import dev.dormouse.room.AutoResponsePair;
import dev.dormouse.room.RoomContext;
import dev.dormouse.room.RoomSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.graalvm.polyglot.proxy.ProxyArray;

/**
 * The host calls behind the WebSocket objects and the state's socket methods: sockets by id, as
 * {@link ActivationSockets} keeps them. Binary data crosses as latin-1 strings (a char per byte).
 */
final class SocketFunctions {

  private final RoomContext ctx;
  private final ActivationSockets sockets;

  SocketFunctions(RoomContext ctx, ActivationSockets sockets) {
    this.ctx = ctx;
    this.sockets = sockets;
  }

  void addTo(HostObject host) {
    host.with(
            "sockets",
            args ->
                ids(args[0].isNull() ? ctx.getWebSockets() : ctx.getWebSockets(args[0].asString())))
        .with(
            "send",
            args -> {
              sockets.get(args[0].asString()).send(args[1].asString());
              return null;
            })
        .with(
            "sendBinary",
            args -> {
              sockets
                  .get(args[0].asString())
                  .send(args[1].asString().getBytes(StandardCharsets.ISO_8859_1));
              return null;
            })
        .with(
            "close",
            args -> {
              sockets.get(args[0].asString()).close(args[1].asInt(), args[2].asString());
              return null;
            })
        .with(
            "setAttachment",
            args -> {
              sockets.get(args[0].asString()).serializeAttachment(Args.string(args[1]));
              return null;
            })
        .with(
            "attachment",
            args -> sockets.get(args[0].asString()).deserializeAttachment(String.class))
        .with(
            "tags",
            args ->
                ProxyArray.fromList(new ArrayList<>(ctx.getTags(sockets.get(args[0].asString())))))
        .with(
            "setAutoResponse",
            args -> {
              ctx.setWebSocketAutoResponse(
                  args[0].isNull()
                      ? null
                      : new AutoResponsePair(args[0].asString(), args[1].asString()));
              return null;
            })
        .with(
            "autoResponse",
            args ->
                ctx.getWebSocketAutoResponse()
                    .map(pair -> ProxyArray.fromArray(pair.request(), pair.response()))
                    .orElse(null))
        .with(
            "autoResponseTimestamp",
            args ->
                ctx.getWebSocketAutoResponseTimestamp(sockets.get(args[0].asString()))
                    .map(at -> (Object) at.toEpochMilli())
                    .orElse(null))
        .with(
            "setEventTimeout",
            args -> {
              long ms = args[0].asLong();
              ctx.setHibernatableWebSocketEventTimeout(ms == 0 ? null : Duration.ofMillis(ms));
              return null;
            })
        .with(
            "eventTimeout",
            args ->
                ctx.getHibernatableWebSocketEventTimeout()
                    .map(timeout -> (Object) timeout.toMillis())
                    .orElse(null));
  }

  private ProxyArray ids(List<RoomSocket> list) {
    List<Object> ids = new ArrayList<>(list.size());
    for (RoomSocket socket : list) {
      ids.add(sockets.remember(socket));
    }
    return ProxyArray.fromList(ids);
  }
}
