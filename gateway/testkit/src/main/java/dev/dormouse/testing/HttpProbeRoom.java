package dev.dormouse.testing;

import dev.dormouse.room.ConnectDecision;
import dev.dormouse.room.ConnectRequest;
import dev.dormouse.room.Message;
import dev.dormouse.room.Room;
import dev.dormouse.room.RoomContext;
import dev.dormouse.room.RoomRequest;
import dev.dormouse.room.RoomResponse;
import dev.dormouse.room.RoomSocket;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A room for tests of HTTP into rooms and calls between rooms; it shows what it sees. Paths: {@code
 * /echo} (answers the method, paths, query, the {@code x-probe} header and the body, one per line),
 * {@code /starts} (how many times the instance started, kept in storage: a wake shows as one more),
 * {@code /source} (who sent the request: {@code CLIENT}, {@code BACKEND} or {@code ROOM}), {@code
 * /connected} (the path and query its last WebSocket connect saw), {@code /sleep?ms=N}
 * (sleeps in the handler), {@code /call?room=R&instance=I&path=P&ms=M} (calls that room's {@code P},
 * passing {@code ms} on, and
 * answers {@code called STATUS: BODY}, composing on the call), {@code /self} (the same to itself,
 * {@code /echo}), {@code /block} (waits on a call to itself with {@code join}: answers 500 with the
 * error it gets). Anything else: 404.
 */
public class HttpProbeRoom implements Room {

  private RoomContext ctx;

  @Override
  public void onStart(RoomContext context) {
    this.ctx = context;
    long starts = Long.parseLong(ctx.storage().get("starts").orElse("0")) + 1;
    ctx.storage().put("starts", Long.toString(starts));
  }

  @Override
  public ConnectDecision onConnect(RoomSocket socket, ConnectRequest request) {
    ctx.storage().put("connected", request.path() + " " + new TreeMap<>(request.query()));
    return ConnectDecision.accept();
  }

  @Override
  public void onMessage(RoomSocket socket, Message message) {
    socket.send("echo:" + message.text());
  }

  @Override
  public CompletionStage<RoomResponse> onRequestAsync(RoomRequest request) throws Exception {
    switch (request.path()) {
      case "/call":
        return call(
            request.queryParameter("room").orElse(ctx.key().room()),
            request.queryParameter("instance").orElse(""),
            request.queryParameter("path").orElse("/echo"),
            request.queryParameter("ms").map(ms -> Map.of("ms", List.of(ms))).orElse(Map.of()));
      case "/self":
        return call(ctx.key().room(), ctx.key().instance(), "/echo", Map.of());
      case "/block":
        try {
          return CompletableFuture.completedFuture(
              ctx.room(ctx.key().room(), ctx.key().instance())
                  .request(RoomRequest.get("/echo"))
                  .join());
        } catch (IllegalStateException e) {
          return CompletableFuture.completedFuture(RoomResponse.text(500, e.getMessage()));
        }
      default:
        return CompletableFuture.completedFuture(onRequest(request));
    }
  }

  private CompletionStage<RoomResponse> call(
      String room, String instance, String path, Map<String, List<String>> query) {
    return ctx.room(room, instance)
        .request(
            RoomRequest.of("GET", path, Map.of("x-probe", List.of("call")), new byte[0])
                .withQuery(query))
        .thenApply(
            answer ->
                RoomResponse.text(200, "called " + answer.status() + ": " + answer.bodyText()));
  }

  @Override
  public RoomResponse onRequest(RoomRequest request) throws Exception {
    // /echo answers under it too: a room without instances sees deeper paths.
    switch (request.path().startsWith("/echo") ? "/echo" : request.path()) {
      case "/echo":
        return RoomResponse.text(
                200,
                String.join(
                    "\n",
                    "method=" + request.method(),
                    "path=" + request.path(),
                    "full=" + request.fullPath(),
                    "query=" + new TreeMap<>(request.query()),
                    "x-probe=" + request.header("x-probe").orElse(""),
                    "instance=" + ctx.key().instance(),
                    "body=" + request.bodyText()))
            .withHeader("x-probed", "yes");
      case "/starts":
        return RoomResponse.text(200, ctx.storage().get("starts").orElse("0"));
      case "/source":
        return RoomResponse.text(200, request.source().name());
      case "/authorization":
        return RoomResponse.text(200, request.header("authorization").orElse("none"));
      case "/connected":
        return RoomResponse.text(200, ctx.storage().get("connected").orElse(""));
      case "/sleep":
        Thread.sleep(Long.parseLong(request.queryParameter("ms").orElse("0")));
        return RoomResponse.text(200, "slept");
      default:
        return RoomResponse.text(404, "no " + request.path() + " here");
    }
  }
}
