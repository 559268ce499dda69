package dev.dormouse.store;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Group commit for {@code WAIT}: a write waits for a WAIT sent after it on its connection, and every
 * write sent while one WAIT is out shares the next. So a thousand renewals fired at once cost two WAITs,
 * not a thousand one after another (Redis blocks the connection for each WAIT until it is answered).
 */
final class ReplicaBarrier {

  private final Supplier<CompletionStage<Long>> sendWait;
  private final int replicas;

  /** Whether a WAIT is out; guarded by this. */
  private boolean waiting;

  /** The writes sent since the WAIT that is out, which the next one covers; guarded by this. */
  private CompletableFuture<Void> next;

  /** @param sendWait sends {@code WAIT replicas timeout} on the connection the writes go over */
  ReplicaBarrier(Supplier<CompletionStage<Long>> sendWait, int replicas) {
    this.sendWait = sendWait;
    this.replicas = replicas;
  }

  /**
   * Completes once {@link #replicas} replicas have every write sent on the connection before this
   * call; fails with {@link NotReplicatedException} when fewer acknowledged them in WAIT's timeout.
   */
  synchronized CompletionStage<Void> afterWritesSoFar() {
    if (next == null) {
      next = new CompletableFuture<>();
    }
    CompletableFuture<Void> covered = next;
    if (!waiting) {
      sendNext();
    }
    return covered;
  }

  /** Called holding the lock, so that no write slips between the WAIT and the writes it covers. */
  private void sendNext() {
    CompletableFuture<Void> covered = next;
    next = null;
    waiting = true;
    CompletionStage<Long> sent;
    try {
      sent = sendWait.get();
    } catch (RuntimeException e) {
      // A WAIT that could not be sent (a closed connection, say) is not out: the writes it was to
      // cover fail now, and the next write sends a WAIT of its own instead of waiting for this one.
      waiting = false;
      covered.completeExceptionally(e);
      return;
    }
    sent.whenComplete(
        (acknowledged, error) -> {
          if (error != null) {
            covered.completeExceptionally(error);
          } else if (acknowledged < replicas) {
            covered.completeExceptionally(new NotReplicatedException(acknowledged, replicas));
          } else {
            covered.complete(null);
          }
          synchronized (this) {
            waiting = false;
            if (next != null) {
              sendNext();
            }
          }
        });
  }
}
