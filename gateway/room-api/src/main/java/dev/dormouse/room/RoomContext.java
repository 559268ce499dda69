package dev.dormouse.room;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What a room instance knows of its world: its connections, its storage, its alarm. */
public interface RoomContext {

  RoomKey key();

  /** The room's {@code spec.env}: settings its code reads, as a Durable Object reads its env. */
  default Map<String, String> env() {
    // A default only so that contexts written against the API before env existed still compile.
    return Map.of();
  }

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

  // Sockets as in Durable Objects' state: getTags, the hibernatable event timeout.

  /**
   * The tags the socket was accepted with (or last given with {@link RoomSocket#setTags}), as
   * Durable Objects' {@code getTags(ws)}.
   *
   * @throws IllegalArgumentException when the socket is not one of this instance's
   */
  Set<String> getTags(RoomSocket socket);

  /** Longest {@link #setHibernatableWebSocketEventTimeout} accepts (as Durable Objects: 7 days). */
  Duration MAX_SOCKET_EVENT_TIMEOUT = Duration.ofDays(7);

  /**
   * Bounds how long a socket event handler ({@code onMessage}, {@code onClose}, {@code onError}) of
   * this instance may run, in place of the room's {@code spec.limits.eventTimeout}; past it the
   * handler is abandoned and the instance reset, as past the eventTimeout. Kept in Redis, so it holds
   * for later activations too, until changed; {@code null} or zero goes back to the eventTimeout.
   *
   * @throws IllegalArgumentException when negative or over {@link #MAX_SOCKET_EVENT_TIMEOUT}
   */
  void setHibernatableWebSocketEventTimeout(Duration timeout);

  /** The timeout set with {@link #setHibernatableWebSocketEventTimeout}, if any. */
  Optional<Duration> getHibernatableWebSocketEventTimeout();

  /** Key–value storage of the instance, kept in Redis. */
  Storage storage();

  /**
   * Schedules {@link Room#onAlarm(AlarmInfo)}; replaces an earlier alarm (and its retries). The alarm
   * wakes a hibernated instance, also after its owner restarted or with the room's owners at zero.
   */
  void setAlarm(Instant at);

  Optional<Instant> getAlarm();

  void deleteAlarm();

  // Calls to other rooms (issue 13, HTTP part).

  /**
   * A stub calling {@code room}'s instance {@code instance} (empty for a room without instances) of
   * this room's namespace — this very instance too: see {@link RoomStub#request} for how its answer
   * arrives and why a handler must compose on it rather than wait.
   */
  default RoomStub room(String room, String instance) {
    // A default only so that contexts written against the API before calls existed still compile.
    throw new UnsupportedOperationException("this room context cannot call other rooms");
  }
}
