package dev.dormouse.link;

import dev.dormouse.room.ConnectRequest;
import dev.dormouse.room.Message;
import dev.dormouse.room.RoomKey;
import dev.dormouse.room.RoomRequest;
import dev.dormouse.room.RoomResponse;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Something that happened to one room instance, on its way from a gateway to the instance's owner.
 * The futures complete with the owner's answer, wherever the event ends up being handled — also
 * after an owner handed it back to be sent to another owner.
 */
public sealed interface RoomEvent {

  RoomKey key();

  /** The gateway holding the connection the event is about; empty for events of the room itself. */
  String gatewayId();

  /** Whether handling it needs the instance in memory. */
  default boolean needsInstance() {
    return true;
  }

  /**
   * The event will not reach its room: whoever waits on it gets its answer, as this kind of event
   * is answered. A connect or an HTTP request is refused with the refusal's HTTP status, a message's
   * sender is closed through {@code senders} with its close code, the rest are done.
   */
  void refuse(Refusal refusal, ClientCloser senders);

  /** A client asks to join. */
  record Connect(
      RoomKey key,
      String gatewayId,
      String connectionId,
      ConnectRequest request,
      CompletableFuture<ConnectOutcome> outcome)
      implements RoomEvent {

    @Override
    public void refuse(Refusal refusal, ClientCloser senders) {
      outcome.complete(ConnectOutcome.refused(refusal));
    }
  }

  /**
   * A client message; {@code handled} completes once the room has handled it (or dropped it), so a
   * gateway knows which messages an owner that died had not yet handled.
   */
  record Incoming(
      RoomKey key,
      String gatewayId,
      String connectionId,
      Message message,
      CompletableFuture<Void> handled)
      implements RoomEvent {

    /** Dropped, so its sender is closed: the messages it sent after this one would reach the room out of order. */
    @Override
    public void refuse(Refusal refusal, ClientCloser senders) {
      senders.close(gatewayId, connectionId, refusal.closeCode(), refusal.reason());
      handled.complete(null);
    }
  }

  /** The gateway saw a protocol error on the connection; a close follows. */
  record Failure(RoomKey key, String gatewayId, String connectionId, String description)
      implements RoomEvent {

    /** Nobody waits on a failure; the close that follows it is answered on its own. */
    @Override
    public void refuse(Refusal refusal, ClientCloser senders) {}
  }

  /**
   * The connection ended: the client closed, the gateway closed it, or it was lost (1006, not
   * clean). One the room closed itself ({@code roomInitiated}) is only forgotten, without waking it.
   */
  record Close(
      RoomKey key,
      String gatewayId,
      String connectionId,
      int code,
      String reason,
      boolean wasClean,
      boolean roomInitiated,
      CompletableFuture<Void> done)
      implements RoomEvent {

    @Override
    public boolean needsInstance() {
      return !roomInitiated;
    }

    /** The connection is gone either way: done. */
    @Override
    public void refuse(Refusal refusal, ClientCloser senders) {
      done.complete(null);
    }
  }

  /**
   * A marker: {@code passed} completes once every earlier event of this gateway for the key has been
   * handled or handed back. Lets a gateway move a key to another owner without reordering.
   */
  record Fence(RoomKey key, String gatewayId, CompletableFuture<Void> passed) implements RoomEvent {

    @Override
    public boolean needsInstance() {
      return false;
    }

    /** A fence that cannot reach its owner has nothing left to wait for there: passed. */
    @Override
    public void refuse(Refusal refusal, ClientCloser senders) {
      passed.complete(null);
    }
  }

  /**
   * The room's alarm may be due: raised by a gateway's alarm watcher, which claimed it in the index of
   * due alarms (so it wakes an instance nobody holds, through the routing, as any event), or by the
   * owner's own timer ({@code gatewayId} empty), which claims it when handled. The owner checks it
   * against the instance's alarm under the lease: a stale or replaced one is dropped.
   */
  record Alarm(RoomKey key, String gatewayId) implements RoomEvent {

    /** An alarm the owner's own timer raised; nobody routed it, nobody can route it on. */
    public static Alarm ownTimer(RoomKey key) {
      return new Alarm(key, "");
    }

    public boolean fromOwnTimer() {
      return gatewayId.isEmpty();
    }

    /**
     * Nobody waits on an alarm: a refused one stays in the index, claimed, and is raised again when
     * the claim times out.
     */
    @Override
    public void refuse(Refusal refusal, ClientCloser senders) {}
  }

  // HTTP into rooms and calls between rooms (issue 13, HTTP part).

  /**
   * A plain HTTP request for the room's {@code onRequest}: from a client at a gateway, or another
   * room's call that a gateway routes. {@code response} completes with the room's answer, or with a
   * refusal's status.
   */
  record Request(
      RoomKey key, String gatewayId, RoomRequest request, CompletableFuture<RoomResponse> response)
      implements RoomEvent {

    /** Answered with the refusal's status and text; a 503 says when to try again, as for upgrades. */
    @Override
    public void refuse(Refusal refusal, ClientCloser senders) {
      response.complete(refusal(refusal));
    }

    public static RoomResponse refusal(Refusal refusal) {
      RoomResponse response = RoomResponse.text(refusal.httpStatus(), refusal.reason());
      return refusal.httpStatus() == HttpStatus.SERVICE_UNAVAILABLE
          ? response.withHeader(HttpStatus.RETRY_AFTER, HttpStatus.RETRY_AFTER_SECONDS)
          : response;
    }
  }

  /**
   * Room code to run in the instance's mailbox, one event among the others: the answer of a call the
   * instance made, completing the future its code composed on. Raised by the owner itself, never sent
   * by a gateway; one that cannot run (its instance is gone) is dropped with it.
   */
  record Continuation(RoomKey key, Runnable step) implements RoomEvent {

    @Override
    public String gatewayId() {
      return "";
    }

    /** It belongs to the instance that made the call: nothing to start for it. */
    @Override
    public boolean needsInstance() {
      return false;
    }

    @Override
    public void refuse(Refusal refusal, ClientCloser senders) {}
  }

  // The admin API (issue 17).

  /**
   * An operator's order for one instance, from a gateway's admin API, routed to the instance's owner
   * as any event so that it works wherever the owner runs. {@code done} completes once the owner has
   * obeyed it (empty), or with the refusal that kept it from the owner. No room code runs for it.
   */
  record Command(
      RoomKey key, String gatewayId, Action action, CompletableFuture<Optional<Refusal>> done)
      implements RoomEvent {

    public enum Action {
      /** Evict the instance now, as the idle sweep does: its sockets stay open, its state in Redis. */
      HIBERNATE,
      /** Bring the instance into memory now ({@code onStart}), without an event for its room code. */
      WAKE
    }

    /** Only a wake needs the instance; a hibernation of one not in memory has nothing to do. */
    @Override
    public boolean needsInstance() {
      return action == Action.WAKE;
    }

    @Override
    public void refuse(Refusal refusal, ClientCloser senders) {
      done.complete(Optional.of(refusal));
    }
  }
}
