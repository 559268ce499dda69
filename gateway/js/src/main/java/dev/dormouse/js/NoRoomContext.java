package dev.dormouse.js;

import dev.dormouse.room.AutoResponsePair;
import dev.dormouse.room.RoomContext;
import dev.dormouse.room.RoomKey;
import dev.dormouse.room.RoomSocket;
import dev.dormouse.room.Storage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The context of the module's check at load, where no instance exists: a module's top level that
 * reaches for one fails the load, which names the line.
 */
final class NoRoomContext implements RoomContext {

  private final RoomKey key;

  NoRoomContext(ModuleReference reference) {
    this.key = RoomKey.of("load", reference.toString());
  }

  private static IllegalStateException none() {
    return new IllegalStateException("there is no room instance while the module loads");
  }

  @Override
  public RoomKey key() {
    return key;
  }

  @Override
  public List<RoomSocket> getWebSockets() {
    throw none();
  }

  @Override
  public List<RoomSocket> getWebSockets(String tag) {
    throw none();
  }

  @Override
  public void broadcast(String text, List<RoomSocket> to) {
    throw none();
  }

  @Override
  public void setWebSocketAutoResponse(AutoResponsePair pair) {
    throw none();
  }

  @Override
  public Optional<AutoResponsePair> getWebSocketAutoResponse() {
    throw none();
  }

  @Override
  public Optional<Instant> getWebSocketAutoResponseTimestamp(RoomSocket socket) {
    throw none();
  }

  @Override
  public Set<String> getTags(RoomSocket socket) {
    throw none();
  }

  @Override
  public void setHibernatableWebSocketEventTimeout(Duration timeout) {
    throw none();
  }

  @Override
  public Optional<Duration> getHibernatableWebSocketEventTimeout() {
    throw none();
  }

  @Override
  public Storage storage() {
    throw none();
  }

  @Override
  public void setAlarm(Instant at) {
    throw none();
  }

  @Override
  public Optional<Instant> getAlarm() {
    throw none();
  }

  @Override
  public void deleteAlarm() {
    throw none();
  }
}
