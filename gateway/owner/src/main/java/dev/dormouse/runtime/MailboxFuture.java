package dev.dormouse.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The future a room's call returns, and every future composed on it. It completes in the calling
 * instance's mailbox; so do any {@code …Async} stage and {@link #completeAsync} without an executor
 * of their own, and {@link #orTimeout}/{@link #completeOnTimeout}. Completing it by hand ({@code
 * complete}, {@code obtrude…}) from another thread is the caller's own doing and not redirected; nor
 * are {@code CompletableFuture.allOf/anyOf}, whose futures are the JDK's own. A wait on it
 * from that instance's own code would hold the mailbox the answer has to come through: refused at
 * once with {@link IllegalStateException}.
 */
final class MailboxFuture<T> extends CompletableFuture<T> {

  static final String BLOCKING =
      "a room cannot wait (get/join) on its own call's answer inside its own handlers: the answer"
          + " is delivered to this instance's mailbox, after the handler returns. Compose on the"
          + " future instead (thenApply, thenAccept, thenCompose)";

  private final ActiveInstance caller;
  private final RoomCalls calls;

  MailboxFuture(ActiveInstance caller, RoomCalls calls) {
    this.caller = caller;
    this.calls = calls;
  }

  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new MailboxFuture<>(caller, calls);
  }

  /** Async stages run in the caller's mailbox, not on a pool beside its other events. */
  @Override
  public Executor defaultExecutor() {
    return step -> calls.post(caller, step);
  }

  /**
   * The JDK completes a timed-out future on its own timer thread, which would run the stages
   * composed on it beside the instance's other events: the timeout is posted to the mailbox instead,
   * like an answer.
   */
  @Override
  public CompletableFuture<T> orTimeout(long timeout, TimeUnit unit) {
    onTimeout(timeout, unit, () -> completeExceptionally(new TimeoutException()));
    return this;
  }

  /** As {@link #orTimeout}: the default value is given in the mailbox. */
  @Override
  public CompletableFuture<T> completeOnTimeout(T value, long timeout, TimeUnit unit) {
    onTimeout(timeout, unit, () -> complete(value));
    return this;
  }

  private void onTimeout(long timeout, TimeUnit unit, Runnable completion) {
    if (isDone()) {
      return;
    }
    Executor mailbox = defaultExecutor();
    // Only a future still waiting costs the instance an event.
    CompletableFuture.delayedExecutor(
            timeout,
            unit,
            step -> {
              if (!isDone()) {
                mailbox.execute(step);
              }
            })
        .execute(completion);
  }

  @Override
  public T get() throws InterruptedException, ExecutionException {
    refuseWaitInMailbox();
    return super.get();
  }

  @Override
  public T get(long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    refuseWaitInMailbox();
    return super.get(timeout, unit);
  }

  @Override
  public T join() {
    refuseWaitInMailbox();
    return super.join();
  }

  private void refuseWaitInMailbox() {
    if (!isDone() && MailboxThread.runs(caller)) {
      throw new IllegalStateException(BLOCKING);
    }
  }
}
