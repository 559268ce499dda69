package dev.dormouse.runtime;

import dev.dormouse.link.ConnectOutcome;
import dev.dormouse.link.HttpStatus;
import dev.dormouse.link.RoomEvent;

/**
 * What the owner tells whoever waits on an event its room failed on (threw, or overran its
 * eventTimeout). Unlike a refusal ({@link RoomEvent#refuse}) the event did reach the room, so a
 * message's sender is not closed: the message counts as handled.
 */
final class EventAnswers {

  private EventAnswers() {}

  /** A connect is refused with 500 and {@code connectRefusal}; whatever else waits is told the event is done. */
  static void failed(RoomEvent event, String connectRefusal) {
    if (event instanceof RoomEvent.Connect c) {
      c.outcome()
          .complete(ConnectOutcome.refused(HttpStatus.INTERNAL_SERVER_ERROR, connectRefusal));
    } else if (event instanceof RoomEvent.Incoming m) {
      m.handled().complete(null);
    } else if (event instanceof RoomEvent.Close c) {
      c.done().complete(null);
    } else if (event instanceof RoomEvent.Fence f) {
      f.passed().complete(null);
    }
  }
}
