package dev.dormouse.link;

import dev.dormouse.room.RoomKey;
import dev.dormouse.room.ConnectRequest;
import dev.dormouse.room.Message;
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

  /** A client asks to join. */
  record Connect(RoomKey key, String gatewayId, String connectionId, ConnectRequest request,
      CompletableFuture<ConnectOutcome> outcome) implements RoomEvent {
  }

  /**
   * A client message; {@code handled} completes once the room has handled it (or dropped it), so a
   * gateway knows which messages an owner that died had not yet handled.
   */
  record Incoming(RoomKey key, String gatewayId, String connectionId, Message message,
      CompletableFuture<Void> handled) implements RoomEvent {
  }

  /** The gateway saw a protocol error on the connection; a close follows. */
  record Failure(RoomKey key, String gatewayId, String connectionId, String description) implements RoomEvent {
  }

  /**
   * The connection ended: the client closed, the gateway closed it, or it was lost (1006, not
   * clean). One the room closed itself ({@code roomInitiated}) is only forgotten, without waking it.
   */
  record Close(RoomKey key, String gatewayId, String connectionId, int code, String reason, boolean wasClean,
      boolean roomInitiated, CompletableFuture<Void> done) implements RoomEvent {

    @Override
    public boolean needsInstance() {
      return !roomInitiated;
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
  }

  /** The room's alarm is due; raised by the owner itself, never sent by a gateway. */
  record Alarm(RoomKey key) implements RoomEvent {

    @Override
    public String gatewayId() {
      return "";
    }
  }
}
