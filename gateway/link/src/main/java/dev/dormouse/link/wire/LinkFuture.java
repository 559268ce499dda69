package dev.dormouse.link.wire;

import dev.dormouse.link.RoomEvent;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The future of an event that came over a link, on the owner's side. It remembers which gateway session
 * the event came from and the event's id, so that an event the owner hands back can be named to the
 * gateway that waits for it, without a lookup table of events in flight.
 */
final class LinkFuture<T> extends CompletableFuture<T> {

  private final GatewaySession origin;
  private final long id;

  LinkFuture(GatewaySession origin, long id) {
    this.origin = origin;
    this.id = id;
  }

  GatewaySession origin() {
    return origin;
  }

  long id() {
    return id;
  }

  /** The link future of an event, if it came over a link. */
  static Optional<LinkFuture<?>> of(RoomEvent event) {
    CompletableFuture<?> future = null;
    if (event instanceof RoomEvent.Connect c) {
      future = c.outcome();
    } else if (event instanceof RoomEvent.Incoming m) {
      future = m.handled();
    } else if (event instanceof RoomEvent.Close c) {
      future = c.done();
    } else if (event instanceof RoomEvent.Fence f) {
      future = f.passed();
    } else if (event instanceof RoomEvent.Request r) {
      future = r.response();
    } else if (event instanceof RoomEvent.Command c) {
      future = c.done();
    }
    return future instanceof LinkFuture<?> link ? Optional.of(link) : Optional.empty();
  }
}
