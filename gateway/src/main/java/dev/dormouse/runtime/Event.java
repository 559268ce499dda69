package dev.dormouse.runtime;

import dev.dormouse.link.ConnectOutcome;
import dev.dormouse.room.ConnectRequest;
import dev.dormouse.room.Message;
import java.util.concurrent.CompletableFuture;

/** One thing that happened to a room instance, queued in its mailbox. */
sealed interface Event {

  /** Whether handling it needs the instance in memory. */
  default boolean needsInstance() {
    return true;
  }

  record Connect(String connectionId, String gatewayId, ConnectRequest request,
      CompletableFuture<ConnectOutcome> outcome) implements Event {
  }

  record Incoming(String connectionId, String gatewayId, Message message) implements Event {
  }

  record Failure(String connectionId, String gatewayId, String description) implements Event {
  }

  /** A connection ended; one the room closed itself is only forgotten, without waking the room. */
  record Close(String connectionId, String gatewayId, int code, String reason, boolean wasClean,
      boolean roomInitiated, CompletableFuture<Void> done) implements Event {

    @Override
    public boolean needsInstance() {
      return !roomInitiated;
    }
  }

  record Alarm() implements Event {
  }
}
