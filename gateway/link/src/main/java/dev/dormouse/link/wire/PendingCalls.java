package dev.dormouse.link.wire;

import dev.dormouse.link.HttpStatus;
import dev.dormouse.room.RoomResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The calls an owner's rooms sent on one gateway link that still wait for their CALL_RESULT, by id.
 * When the link is lost every one of them is answered 503, so no room waits on a call forever; a
 * call registered after the loss is answered at once.
 */
final class PendingCalls {

  static final String LINK_LOST = "Gateway link lost before the call was answered, try again";

  private final ConcurrentHashMap<Long, CompletableFuture<RoomResponse>> byId =
      new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private volatile boolean lost;

  /** Any thread: the id of a new call, whose answer completes {@code future}; 0 when the link is lost. */
  long add(CompletableFuture<RoomResponse> future) {
    long id = ids.incrementAndGet();
    byId.put(id, future);
    // As in PendingEvents: lose() sets lost before it takes, so whoever removes the entry answers
    // it.
    if (lost && byId.remove(id) != null) {
      future.complete(unavailable());
      return 0;
    }
    return id;
  }

  /** The gateway answered; an answer for no pending call (late, after a loss) is ignored. */
  void answer(long id, RoomResponse response) {
    CompletableFuture<RoomResponse> future = byId.remove(id);
    if (future != null) {
      future.complete(response);
    }
  }

  void lose() {
    lost = true;
    for (Long id : byId.keySet()) {
      CompletableFuture<RoomResponse> future = byId.remove(id);
      if (future != null) {
        future.complete(unavailable());
      }
    }
  }

  static RoomResponse unavailable() {
    return RoomResponse.text(HttpStatus.SERVICE_UNAVAILABLE, LINK_LOST)
        .withHeader(HttpStatus.RETRY_AFTER, HttpStatus.RETRY_AFTER_SECONDS);
  }
}
