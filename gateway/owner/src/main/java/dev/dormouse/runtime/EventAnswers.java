package dev.dormouse.runtime;

import dev.dormouse.link.ClientCloser;
import dev.dormouse.link.CloseCodes;
import dev.dormouse.link.ConnectOutcome;
import dev.dormouse.link.HttpStatus;
import dev.dormouse.link.Refusal;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.room.RoomResponse;

/**
 * What the owner tells whoever waits on an event its room failed on (threw, or overran its
 * eventTimeout). Unlike a refusal ({@link RoomEvent#refuse}) the event did reach the room, so a
 * message's sender is not closed: the message counts as handled.
 */
final class EventAnswers {

  private EventAnswers() {}

  /** How room code failed an event, and what a client waiting on it reads. */
  enum Failure {
    THREW(
        HttpStatus.INTERNAL_SERVER_ERROR,
        "Room failed to accept the connection",
        "Room failed handling the request"),
    OVERRAN(
        HttpStatus.GATEWAY_TIMEOUT,
        "Room timed out accepting the connection",
        "Room timed out handling the request");

    private final int requestStatus;
    private final String connectRefusal;
    private final String requestRefusal;

    Failure(int requestStatus, String connectRefusal, String requestRefusal) {
      this.requestStatus = requestStatus;
      this.connectRefusal = connectRefusal;
      this.requestRefusal = requestRefusal;
    }
  }

  /**
   * A connect is refused with 500, an HTTP request answered 500 (threw) or 504 (overran); whatever
   * else waits is told the event is done.
   */
  static void failed(RoomEvent event, Failure failure) {
    if (event instanceof RoomEvent.Connect c) {
      c.outcome()
          .complete(
              ConnectOutcome.refused(HttpStatus.INTERNAL_SERVER_ERROR, failure.connectRefusal));
    } else if (event instanceof RoomEvent.Request r) {
      r.response().complete(RoomResponse.text(failure.requestStatus, failure.requestRefusal));
    } else if (event instanceof RoomEvent.Incoming m) {
      m.handled().complete(null);
    } else if (event instanceof RoomEvent.Close c) {
      c.done().complete(null);
    } else if (event instanceof RoomEvent.Fence f) {
      f.passed().complete(null);
    }
  }

  /**
   * The room's code failed to load, so the event never reaches it: a connect is refused and an HTTP
   * request answered with 503 and {@code text}, a message's sender is closed with 1013 (its later
   * messages could not be handled either), whatever else waits is refused as for an unavailable room.
   */
  static void codeFailed(RoomEvent event, String text, ClientCloser senders) {
    if (event instanceof RoomEvent.Connect c) {
      c.outcome().complete(ConnectOutcome.refused(HttpStatus.SERVICE_UNAVAILABLE, text));
    } else if (event instanceof RoomEvent.Request r) {
      r.response()
          .complete(
              RoomResponse.text(HttpStatus.SERVICE_UNAVAILABLE, text)
                  .withHeader(HttpStatus.RETRY_AFTER, HttpStatus.RETRY_AFTER_SECONDS));
    } else if (event instanceof RoomEvent.Incoming m) {
      senders.close(m.gatewayId(), m.connectionId(), CloseCodes.TRY_AGAIN_LATER, text);
      m.handled().complete(null);
    } else {
      event.refuse(Refusal.UNAVAILABLE, senders);
    }
  }
}
