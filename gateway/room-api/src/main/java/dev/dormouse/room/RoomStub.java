package dev.dormouse.room;

import java.util.concurrent.CompletableFuture;

/**
 * Another room instance of the same namespace, as a room sees it (the Durable Object stub), from
 * {@link RoomContext#room}. A request travels like any event: through a gateway to the instance's
 * owner, waking it if needed, to its {@link Room#onRequest}.
 */
public interface RoomStub {

  /** The instance this stub calls. */
  RoomKey key();

  /**
   * Sends the request; never blocks. The future completes inside the calling instance's mailbox, as
   * an event of its own, so continuations attached with {@code thenAccept} and the like (also the
   * {@code …Async} ones without an executor) run one at a time with the room's other events. Waiting
   * on it ({@code get}, {@code join}) from the room's own handlers throws {@link
   * IllegalStateException} at once: the answer could only arrive after the handler returns. Always
   * completes: with the callee's response, or 404 (no such room), 413 (body over the callee's
   * maxMessageBytes), 500 (the callee failed), 503 (no gateway linked, the callee could not wake or
   * its owner was lost) or 504 (the callee overran its eventTimeout).
   */
  CompletableFuture<RoomResponse> request(RoomRequest request);
}
