package dev.dormouse.room;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What a room instance knows of its world: its connections, its storage, its alarm. */
public interface RoomContext {

  RoomKey key();

  /**
   * Every live connection of the instance, over all gateways, in the order they connected; a
   * connection whose client is closing is no longer listed.
   */
  List<RoomSocket> getWebSockets();

  /** Live connections carrying the tag. */
  List<RoomSocket> getWebSockets(String tag);

  /**
   * Sends one message to many sockets; the payload is encoded once and shared, not copied per socket.
   */
  void broadcast(String text, List<RoomSocket> to);

  /** A request the gateways answer themselves without waking the instance; {@code null} removes it. */
  void setWebSocketAutoResponse(AutoResponsePair pair);

  Optional<AutoResponsePair> getWebSocketAutoResponse();

  /** When the gateway last answered the socket's auto-response request. */
  Optional<Instant> getWebSocketAutoResponseTimestamp(RoomSocket socket);

  /** Key–value storage of the instance, kept in Redis. */
  Storage storage();

  /**
   * Schedules {@link Room#onAlarm(AlarmInfo)}; replaces an earlier alarm (and its retries). The alarm
   * wakes a hibernated instance, also after its owner restarted or with the room's owners at zero.
   */
  void setAlarm(Instant at);

  Optional<Instant> getAlarm();

  void deleteAlarm();
}
