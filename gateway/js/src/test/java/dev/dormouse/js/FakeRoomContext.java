package dev.dormouse.js;

import dev.dormouse.room.AutoResponsePair;
import dev.dormouse.room.RoomContext;
import dev.dormouse.room.RoomKey;
import dev.dormouse.room.RoomSocket;
import dev.dormouse.room.Storage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** An instance's world in memory: its live sockets, storage, alarm and auto-response. */
final class FakeRoomContext implements RoomContext {

  final RoomKey key;
  final Map<String, String> env;
  final List<FakeSocket> live = new CopyOnWriteArrayList<>();
  final FakeStorage storage = new FakeStorage();
  final Map<String, Instant> autoResponseTimes = new ConcurrentHashMap<>();
  volatile AutoResponsePair autoResponse;
  volatile Instant alarm;
  volatile Duration eventTimeout;

  FakeRoomContext(RoomKey key, Map<String, String> env) {
    this.key = key;
    this.env = env;
  }

  FakeRoomContext() {
    this(new RoomKey("default", "seed", "foo"), Map.of());
  }

  @Override
  public RoomKey key() {
    return key;
  }

  @Override
  public Map<String, String> env() {
    return env;
  }

  @Override
  public List<RoomSocket> getWebSockets() {
    return List.copyOf(live);
  }

  @Override
  public List<RoomSocket> getWebSockets(String tag) {
    return live.stream().filter(s -> s.tags().contains(tag)).map(s -> (RoomSocket) s).toList();
  }

  @Override
  public void broadcast(String text, List<RoomSocket> to) {
    to.forEach(socket -> socket.send(text));
  }

  @Override
  public void setWebSocketAutoResponse(AutoResponsePair pair) {
    autoResponse = pair;
  }

  @Override
  public Optional<AutoResponsePair> getWebSocketAutoResponse() {
    return Optional.ofNullable(autoResponse);
  }

  @Override
  public Optional<Instant> getWebSocketAutoResponseTimestamp(RoomSocket socket) {
    return Optional.ofNullable(autoResponseTimes.get(socket.id()));
  }

  @Override
  public Set<String> getTags(RoomSocket socket) {
    if (!live.contains(socket)) {
      throw new IllegalArgumentException(socket + " is not one of this instance's");
    }
    return socket.tags();
  }

  @Override
  public void setHibernatableWebSocketEventTimeout(Duration timeout) {
    eventTimeout = timeout;
  }

  @Override
  public Optional<Duration> getHibernatableWebSocketEventTimeout() {
    return Optional.ofNullable(eventTimeout);
  }

  @Override
  public Storage storage() {
    return storage;
  }

  @Override
  public void setAlarm(Instant at) {
    alarm = at;
  }

  @Override
  public Optional<Instant> getAlarm() {
    return Optional.ofNullable(alarm);
  }

  @Override
  public void deleteAlarm() {
    alarm = null;
  }
}
