package dev.dormouse.js;

import dev.dormouse.room.AlarmInfo;
import dev.dormouse.room.ConnectDecision;
import dev.dormouse.room.ConnectRequest;
import dev.dormouse.room.Message;
import dev.dormouse.room.Room;
import dev.dormouse.room.RoomRequest;
import dev.dormouse.room.RoomResponse;
import dev.dormouse.room.spi.RoomCodeException;
import dev.dormouse.room.spi.RoomCodeLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Supplier;

/**
 * Plays the owner for a JavaScript room in the tests: loads it as the owner does (the loader found
 * by {@link ServiceLoader}), activates, evicts, and delivers events as a gateway would (answering
 * the auto-response itself, as the gateways do without waking the room).
 */
final class RoomDriver implements AutoCloseable {

  final FakeRoomContext ctx;
  private final Supplier<Room> rooms;
  private Room room;

  RoomDriver(Path libDir, String reference, FakeRoomContext ctx) throws RoomCodeException {
    this.ctx = ctx;
    this.rooms = load(libDir, reference);
  }

  /** A room of one module {@code room.js} whose class {@code Room} is {@code source}'s. */
  static RoomDriver of(Path libDir, String source) throws Exception {
    write(libDir, "room.js", source);
    return new RoomDriver(libDir, "room.js#Room", new FakeRoomContext()).activate();
  }

  static Supplier<Room> load(Path libDir, String reference) throws RoomCodeException {
    for (RoomCodeLoader loader : ServiceLoader.load(RoomCodeLoader.class)) {
      if (loader.scheme().equals("js")) {
        return loader.load(reference, libDir);
      }
    }
    throw new AssertionError("no js RoomCodeLoader on the class path");
  }

  /** Writes a module file into the library folder. */
  static void write(Path libDir, String file, String text) throws IOException {
    Path path = libDir.resolve(file);
    Files.createDirectories(path.getParent());
    Files.writeString(path, text);
  }

  /** A new activation: a fresh room object, constructed with the instance's live sockets. */
  RoomDriver activate() {
    room = rooms.get();
    room.onStart(ctx);
    return this;
  }

  /** The instance leaves memory; the next {@link #activate} constructs it again. */
  void evict() throws Exception {
    ((AutoCloseable) room).close();
    room = null;
  }

  Room room() {
    return room;
  }

  ConnectDecision connect(FakeSocket socket) {
    return connect(socket, "/rooms/seed/foo/websocket");
  }

  ConnectDecision connect(FakeSocket socket, String path) {
    return connect(socket, path, Map.of());
  }

  ConnectDecision connect(FakeSocket socket, String path, Map<String, List<String>> query) {
    ConnectDecision decision =
        room.onConnect(
            socket,
            new ConnectRequest(
                path,
                query,
                Map.of("upgrade", List.of("websocket"), "host", List.of("rooms.test")),
                "127.0.0.1",
                Map.of()));
    if (decision.accepted()) {
      socket.setTags(decision.tags());
      ctx.live.add(socket);
    }
    return decision;
  }

  void send(FakeSocket socket, String text) throws Exception {
    if (ctx.autoResponse != null && ctx.autoResponse.request().equals(text)) {
      socket.send(ctx.autoResponse.response());
      ctx.autoResponseTimes.put(socket.id(), java.time.Instant.now());
      return;
    }
    room.onMessage(socket, Message.text(text));
  }

  void sendBinary(FakeSocket socket, byte[] bytes) throws Exception {
    room.onMessage(socket, Message.binary(bytes));
  }

  /** The client closes: the socket is no longer live, and the room hears of it. */
  void clientCloses(FakeSocket socket, int code, String reason) {
    ctx.live.remove(socket);
    room.onClose(socket, code, reason, true);
  }

  RoomResponse request(RoomRequest request) throws Exception {
    return room.onRequest(request);
  }

  void alarm(int retryCount) throws Exception {
    room.onAlarm(new AlarmInfo(retryCount));
  }

  @Override
  public void close() throws Exception {
    if (room != null) {
      evict();
    }
  }
}
