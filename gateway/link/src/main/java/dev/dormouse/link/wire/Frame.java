package dev.dormouse.link.wire;

import dev.dormouse.link.ConnectOutcome;
import dev.dormouse.link.OutboundMessage;
import dev.dormouse.link.Refusal;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.room.AutoResponsePair;
import dev.dormouse.room.ConnectRequest;
import dev.dormouse.room.Message;
import dev.dormouse.room.RoomKey;
import dev.dormouse.room.RoomRequest;
import dev.dormouse.room.RoomResponse;
import java.util.Collection;
import java.util.Optional;

/**
 * One unit of the gateway–owner link. Handshake frames first (CHALLENGE, HELLO, WELCOME), then
 * events from gateway to owner and answers and commands from owner to gateway; {@link FrameCodec}
 * holds the byte layout.
 */
sealed interface Frame {

  /** Owner → gateway, on accept: prove you know the secret, over this fresh nonce. */
  record Challenge(int version, byte[] nonce) implements Frame {}

  /** Gateway → owner: who the gateway is, its proof, and a nonce for the owner to prove itself over. */
  record Hello(int version, String gatewayId, byte[] nonce, byte[] proof) implements Frame {}

  /** Owner → gateway: accepted; who the owner is and its own proof. */
  record Welcome(String ownerId, byte[] proof) implements Frame {}

  /** Either way, when nothing else was sent for a while: lets the peer tell a quiet link from a dead one. */
  record Ping() implements Frame {}

  /**
   * A room event, gateway → owner. {@code id} names it in the owner's answer (CONNECT_RESULT,
   * HANDLED, CLOSE_DONE, FENCE_DONE) or hand-back (REDIRECT); ids grow in the order events were sent.
   */
  sealed interface Event extends Frame {

    long id();

    RoomKey key();

    /** The frame for an event a gateway sends; the gateway's id is the link's, not the frame's. */
    static Event of(RoomEvent event, long id) {
      if (event instanceof RoomEvent.Connect c) {
        return new Connect(id, c.key(), c.connectionId(), c.request());
      } else if (event instanceof RoomEvent.Incoming m) {
        return new Incoming(id, m.key(), m.connectionId(), m.message());
      } else if (event instanceof RoomEvent.Failure f) {
        return new Failure(f.key(), f.connectionId(), f.description());
      } else if (event instanceof RoomEvent.Close c) {
        return new Close(
            id, c.key(), c.connectionId(), c.code(), c.reason(), c.wasClean(), c.roomInitiated());
      } else if (event instanceof RoomEvent.Fence f) {
        return new Fence(id, f.key());
      } else if (event instanceof RoomEvent.Request r) {
        return new Request(id, r.key(), r.request());
      } else if (event instanceof RoomEvent.Alarm a && !a.fromOwnTimer()) {
        return new Alarm(a.key());
      } else if (event instanceof RoomEvent.Command c) {
        return new Command(id, c.key(), c.action());
      }
      throw new IllegalArgumentException(event + " never crosses the link");
    }
  }

  record Connect(long id, RoomKey key, String connectionId, ConnectRequest request)
      implements Event {}

  /** MESSAGE: a client message; its payload travels as the client sent it. */
  record Incoming(long id, RoomKey key, String connectionId, Message message) implements Event {}

  /** Nothing waits for an answer to a failure, so it carries no id. */
  record Failure(RoomKey key, String connectionId, String description) implements Event {

    @Override
    public long id() {
      return 0;
    }
  }

  record Close(
      long id,
      RoomKey key,
      String connectionId,
      int code,
      String reason,
      boolean wasClean,
      boolean roomInitiated)
      implements Event {}

  record Fence(long id, RoomKey key) implements Event {}

  /** ALARM: a gateway claimed the instance's due alarm; nothing waits for an answer, so no id. */
  record Alarm(RoomKey key) implements Event {

    @Override
    public long id() {
      return 0;
    }
  }

  record ConnectResult(long id, ConnectOutcome outcome) implements Frame {}

  /** The messages with these ids have been handled (or dropped) by their rooms. */
  record Handled(long[] ids) implements Frame {}

  record CloseDone(long id) implements Frame {}

  record FenceDone(long id) implements Frame {}

  /** One message for many sockets of the receiving gateway: the payload travels once. */
  record Send(OutboundMessage message, Collection<String> connectionIds) implements Frame {}

  record ClientClose(String connectionId, int code, String reason) implements Frame {}

  record Auto(RoomKey key, Optional<AutoResponsePair> pair) implements Frame {}

  /** The owner hands an event back; {@code event} carries the id of the original. */
  record Redirect(Optional<String> holder, Event event) implements Frame {}

  /**
   * Owner → gateway: this owner is draining. Take it out of the ring now, fence every key that went to
   * it, and answer RELEASED once nothing sent to it waits for an answer.
   */
  record Draining() implements Frame {}

  /**
   * Gateway → owner, after DRAINING: this gateway sends it no more events (a late fence at most) and
   * has every answer it waited for, so the owner may exit without leaving a sender of this gateway unanswered.
   */
  record Released() implements Frame {}

  /**
   * Owner → gateway: this owner cannot take events for now (it cannot reach Redis). Route its keys to
   * other owners while there are any, fencing what went to it; it hands back what it cannot run. Unlike
   * DRAINING it ends, with SERVING, and asks for no RELEASED.
   */
  record Paused() implements Frame {}

  /** Owner → gateway, after PAUSED: this owner takes events again, and counts in the ring again. */
  record Serving() implements Frame {}

  // HTTP into rooms and calls between rooms (issue 13, HTTP part).

  /** REQUEST, gateway → owner: an HTTP request for the room's onRequest; answered by RESPONSE. */
  record Request(long id, RoomKey key, RoomRequest request) implements Event {}

  /** RESPONSE, owner → gateway: the room's answer to the REQUEST {@code id}. */
  record Response(long id, RoomResponse response) implements Frame {}

  /**
   * CALL, owner → gateway: a room calls {@code target}; the gateway routes it as a REQUEST and answers
   * CALL_RESULT with the same id (the owner's, unique on this link).
   */
  record Call(long id, RoomKey target, RoomRequest request) implements Frame {}

  /** CALL_RESULT, gateway → owner: the answer to the owner's CALL {@code id}. */
  record CallResult(long id, RoomResponse response) implements Frame {}

  // The admin API (issue 17).

  /** COMMAND, gateway → owner: an operator's order for an instance; answered by COMMAND_DONE. */
  record Command(long id, RoomKey key, RoomEvent.Command.Action action) implements Event {}

  /** COMMAND_DONE, owner → gateway: the COMMAND {@code id} was obeyed (empty) or refused. */
  record CommandDone(long id, Optional<Refusal> refusal) implements Frame {}
}
