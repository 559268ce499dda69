package dev.dormouse.cluster;

import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Starting an informer the way the gateway needs it: not ready to serve before the first list. */
final class Informers {

  private Informers() {
  }

  /**
   * Starts the informer and waits for its first list, so that lookups right after start are
   * complete. Fails with a message naming what could not be listed (RBAC, API server down).
   */
  static void startAndSync(SharedIndexInformer<?> informer, Duration timeout, String what) {
    try {
      informer.start().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while listing " + what, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot list " + what + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("cannot list " + what + " within " + timeout, e);
    }
  }
}
