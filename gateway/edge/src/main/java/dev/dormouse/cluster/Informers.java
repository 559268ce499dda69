package dev.dormouse.cluster;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Starting an informer the way the gateway needs it: not ready to serve before the first list. */
final class Informers {

  private Informers() {}

  /**
   * Starts the informer with its one handler and waits until the handler has been told of everything
   * the informer's first list held, so that lookups right after start are complete. Fails, within
   * {@code timeout}, with a message naming what could not be listed (RBAC, API server down).
   */
  static <T> void startAndSync(
      SharedIndexInformer<T> informer,
      ResourceEventHandler<T> handler,
      Duration timeout,
      String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    CatchingUpHandler<T> catchingUp = new CatchingUpHandler<>(handler, informer.getStore()::getKey);
    informer.addEventHandler(catchingUp);
    boolean synced = false;
    try {
      informer
          .start()
          .toCompletableFuture()
          .get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (!catchingUp.awaitCaughtUp(informer.getStore().listKeys(), deadline)) {
        throw new IllegalStateException(
            "listed " + what + " but did not take them all in within " + timeout);
      }
      synced = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while listing " + what, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot list " + what + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("cannot list " + what + " within " + timeout, e);
    } finally {
      if (!synced) {
        // Not handed out: nothing else would ever stop its watch.
        informer.stop();
      }
    }
  }
}
