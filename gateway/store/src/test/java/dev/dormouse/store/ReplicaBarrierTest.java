package dev.dormouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class ReplicaBarrierTest {

  /** The WAITs the barrier sent, each answered when the test says. */
  final List<CompletableFuture<Long>> waits = new ArrayList<>();

  final ReplicaBarrier barrier =
      new ReplicaBarrier(
          () -> {
            CompletableFuture<Long> wait = new CompletableFuture<>();
            waits.add(wait);
            return wait;
          },
          1);

  @Test
  void writesAnsweredWhileAWaitIsOutShareTheNextOne() {
    CompletableFuture<Void> first = barrier.afterWritesSoFar().toCompletableFuture();
    List<CompletableFuture<Void>> later = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      later.add(barrier.afterWritesSoFar().toCompletableFuture());
    }
    assertThat(waits).as("one WAIT out at a time").hasSize(1);

    waits.get(0).complete(1L);
    assertThat(first).isCompleted();
    assertThat(later)
        .as("answered while the first WAIT was out, so not covered by it")
        .allMatch(f -> !f.isDone());
    assertThat(waits).hasSize(2);

    waits.get(1).complete(1L);
    assertThat(later).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
    assertThat(waits).as("nothing left to cover").hasSize(2);
    barrier.afterWritesSoFar();
    assertThat(waits).hasSize(3);
  }

  @Test
  void fewerAcknowledgementsThanRequiredFailTheWritesItCovers() {
    CompletionStage<Void> covered = barrier.afterWritesSoFar();
    waits.get(0).complete(0L);

    assertThat(covered.toCompletableFuture())
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(NotReplicatedException.class)
        .withMessageContaining("acknowledged by 0 of the 1 replica");
  }

  @Test
  void aWaitThatFailsFailsTheWritesItCoversAndTheNextWaitGoesOut() {
    CompletableFuture<Void> covered = barrier.afterWritesSoFar().toCompletableFuture();
    CompletableFuture<Void> next = barrier.afterWritesSoFar().toCompletableFuture();
    waits.get(0).completeExceptionally(new CompletionException(new IllegalStateException("gone")));

    assertThat(covered).isCompletedExceptionally();
    assertThat(waits).hasSize(2);
    waits.get(1).complete(2L);
    assertThat(next).isCompleted();
  }

  @Test
  void aWaitThatCannotBeSentFailsTheWritesItCoversAndTheNextWriteSendsItsOwn() {
    List<CompletableFuture<Long>> sent = new ArrayList<>();
    ReplicaBarrier refusing =
        new ReplicaBarrier(
            () -> {
              if (sent.isEmpty()) {
                sent.add(null);
                throw new IllegalStateException("connection closed");
              }
              CompletableFuture<Long> wait = new CompletableFuture<>();
              sent.add(wait);
              return wait;
            },
            1);

    assertThat(refusing.afterWritesSoFar().toCompletableFuture())
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .withMessageContaining("connection closed");
    CompletableFuture<Void> next = refusing.afterWritesSoFar().toCompletableFuture();
    assertThat(sent).as("a WAIT of its own, not one that never went out").hasSize(2);
    sent.get(1).complete(1L);
    assertThat(next).isCompleted();
  }
}
