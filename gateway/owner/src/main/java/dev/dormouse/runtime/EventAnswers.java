package dev.dormouse.runtime;

import dev.dormouse.link.ClientSink;
import dev.dormouse.link.CloseCodes;
import dev.dormouse.link.ConnectOutcome;
import dev.dormouse.link.RoomEvent;

/**
 * What the owner tells whoever waits on an event that room code will not handle: a refused connect,
 * a closed sender, or just "done". The one place in the owner that knows what each event kind waits for.
 */
final class EventAnswers {

  private final ClientSink sink;

  EventAnswers(ClientSink sink) {
    this.sink = sink;
  }

  /** The event cannot be handled: a connect is refused with {@code status}, a sender is closed with 1013. */
  void refuse(RoomEvent event, int status, String reason) {
    if (event instanceof RoomEvent.Connect c) {
      c.outcome().complete(ConnectOutcome.refused(status, reason));
    } else if (event instanceof RoomEvent.Incoming m) {
      sink.close(m.gatewayId(), m.connectionId(), CloseCodes.TRY_AGAIN_LATER, reason);
      m.handled().complete(null);
    } else {
      settle(event);
    }
  }

  /**
   * The room failed on the event: a connect is refused with 500 and {@code connectRefusal}; whatever
   * else waits is told the event is done, for the room will not handle it again.
   */
  static void failed(RoomEvent event, String connectRefusal) {
    if (event instanceof RoomEvent.Connect c) {
      c.outcome().complete(ConnectOutcome.refused(500, connectRefusal));
    } else {
      settle(event);
    }
  }

  /** Completes what a gateway waits for on an event that needs no answer but "done". */
  private static void settle(RoomEvent event) {
    if (event instanceof RoomEvent.Incoming m) {
      m.handled().complete(null);
    } else if (event instanceof RoomEvent.Close c) {
      c.done().complete(null);
    } else if (event instanceof RoomEvent.Fence f) {
      f.passed().complete(null);
    }
  }
}
