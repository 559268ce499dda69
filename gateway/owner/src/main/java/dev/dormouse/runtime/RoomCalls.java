package dev.dormouse.runtime;

import dev.dormouse.admin.Metrics;
import dev.dormouse.link.ClientSink;
import dev.dormouse.link.HttpStatus;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.room.RoomKey;
import dev.dormouse.room.RoomRequest;
import dev.dormouse.room.RoomResponse;
import dev.dormouse.room.RoomStub;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls from room code to other room instances ({@code ctx.room(name, instance)}): each goes out
 * through a gateway (which routes it like any request, waking the callee if need be) and its answer
 * comes back as an event of the caller's own mailbox, so the code composed on it runs one event at a
 * time with the room's others. A call keeps its instance from idle eviction until answered; the
 * gateway answers every call (504 past the callee's timeouts, 503 on a lost link), so none holds it
 * for ever.
 */
final class RoomCalls {

  private static final Logger log = LoggerFactory.getLogger(RoomCalls.class);

  private final ClientSink sink;
  private final Consumer<RoomEvent> mailboxes;
  private final Metrics metrics;

  /** @param mailboxes takes the events that bring answers into the callers' mailboxes */
  RoomCalls(ClientSink sink, Consumer<RoomEvent> mailboxes, Metrics metrics) {
    this.sink = sink;
    this.mailboxes = mailboxes;
    this.metrics = metrics;
  }

  RoomStub stub(ActiveInstance caller, RoomKey target) {
    return new RoomStub() {
      @Override
      public RoomKey key() {
        return target;
      }

      @Override
      public CompletableFuture<RoomResponse> request(RoomRequest request) {
        return call(caller, target, request);
      }
    };
  }

  private CompletableFuture<RoomResponse> call(
      ActiveInstance caller, RoomKey target, RoomRequest request) {
    caller.checkLive();
    MailboxFuture<RoomResponse> answer = new MailboxFuture<>(caller, this);
    caller.callStarted();
    metrics.callOut();
    sent(target, request)
        .whenComplete(
            (response, error) ->
                post(
                    caller,
                    () -> {
                      caller.callEnded();
                      answer.complete(error == null ? response : failed(target, error));
                    }));
    return answer;
  }

  /** A sink that throws (it could not send the call) fails the call: it is still ended and answered. */
  private CompletableFuture<RoomResponse> sent(RoomKey target, RoomRequest request) {
    try {
      return sink.call(target, request);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static RoomResponse failed(RoomKey target, Throwable error) {
    log.warn("call to {} failed: {}", target, error.toString());
    return RoomResponse.text(HttpStatus.SERVICE_UNAVAILABLE, "Call failed, try again")
        .withHeader(HttpStatus.RETRY_AFTER, HttpStatus.RETRY_AFTER_SECONDS);
  }

  /**
   * Runs {@code step} in {@code caller}'s mailbox, as an event of its own; dropped when the instance
   * was reset or evicted meanwhile, as its code must not run for a newer activation.
   */
  void post(ActiveInstance caller, Runnable step) {
    if (caller.retired()) {
      return;
    }
    mailboxes.accept(
        new RoomEvent.Continuation(
            caller.key(),
            () -> {
              if (!caller.retired()) {
                step.run();
              }
            }));
  }
}
