package dev.dormouse.room;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The code of a room, in the spirit of a Durable Object class. One object is created per activation
 * of a room instance (a public no-argument constructor is required); {@link #onStart} is its
 * constructor. The runtime calls the methods of one instance one at a time, in arrival order; it
 * evicts the object when the instance is idle and creates a fresh one for the next event, so
 * anything that must survive belongs in socket attachments or {@link RoomContext#storage()}.
 */
public interface Room {

  /** Called once per activation, before any event; {@code ctx.getWebSockets()} lists every live connection. */
  default void onStart(RoomContext ctx) {}

  /**
   * A client asks to join. The socket is not yet open: the room may set its attachment, and returns
   * whether to accept it (with tags) or refuse it with an HTTP status.
   */
  default ConnectDecision onConnect(RoomSocket socket, ConnectRequest request) {
    return ConnectDecision.accept();
  }

  void onMessage(RoomSocket socket, Message message) throws Exception;

  /** The client closed (or its connection was lost: code 1006, {@code wasClean} false). */
  default void onClose(RoomSocket socket, int code, String reason, boolean wasClean) {}

  default void onError(RoomSocket socket, Throwable error) {}

  /** The alarm set with {@link RoomContext#setAlarm} is due; rooms that need no retry count override this. */
  default void onAlarm() {}

  // HTTP into the room and calls from other rooms (issue 13, HTTP part).

  /**
   * A plain HTTP request to {@code /rooms/{room}[/{instance}]/{path…}}, or another room's call
   * through {@link RoomContext#room}: what it returns is the response. Runs in the instance's mailbox
   * like any event, under its eventTimeout (past it the caller gets 504 and the instance is reset).
   * A room that does not override it answers 426 {@code Expected Upgrade: websocket}, as the gateway
   * answers any non-upgrade request to a WebSocket endpoint.
   */
  default RoomResponse onRequest(RoomRequest request) throws Exception {
    return RoomResponse.text(426, "Expected Upgrade: websocket");
  }

  /**
   * The asynchronous form of {@link #onRequest}, for a room whose answer depends on calls to other
   * rooms ({@link RoomContext#room}): compose on their futures and return the result, as a Durable
   * Object's {@code fetch} returns a promise. The handler returns at once and the instance's other
   * events run meanwhile; the answer must come within eventTimeout of the request's start, else the
   * caller gets 504 (the instance is not reset: no thread is stuck). A stage that fails answers 500.
   * By default it answers with {@link #onRequest}.
   */
  default CompletionStage<RoomResponse> onRequestAsync(RoomRequest request) throws Exception {
    return CompletableFuture.completedFuture(onRequest(request));
  }

  // Alarms with retries.

  /**
   * The alarm set with {@link RoomContext#setAlarm} is due: at least once, also when the instance
   * hibernated, its owner restarted or the room's owners were at zero. Returning deletes the alarm
   * unless this call set a new one; throwing has it raised again with backoff (2 s, doubling, up to
   * {@link AlarmInfo#MAX_RETRIES} retries), {@code info} counting the failed attempts. By default calls
   * {@link #onAlarm()}.
   */
  default void onAlarm(AlarmInfo info) throws Exception {
    onAlarm();
  }
}
