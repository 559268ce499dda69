package dev.dormouse.cluster;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Passes an informer's events on to a handler and, until it has caught up with the informer's first
 * list, notes which objects the handler has been told of. Needed because an informer's start
 * completes once its cache holds the list, while its handlers are told of it later, on another thread.
 */
final class CatchingUpHandler<T> implements ResourceEventHandler<T> {

  private final ResourceEventHandler<T> handler;
  private final Function<T, String> key;

  /** Keys the handler has been told of; null once caught up. Guarded by {@code this}. */
  private Set<String> told = new HashSet<>();

  private volatile boolean caughtUp;

  CatchingUpHandler(ResourceEventHandler<T> handler, Function<T, String> key) {
    this.handler = handler;
    this.key = key;
  }

  @Override
  public void onAdd(T object) {
    try {
      handler.onAdd(object);
    } finally {
      told(object);
    }
  }

  @Override
  public void onUpdate(T before, T after) {
    try {
      handler.onUpdate(before, after);
    } finally {
      told(after);
    }
  }

  @Override
  public void onDelete(T object, boolean deletedFinalStateUnknown) {
    try {
      handler.onDelete(object, deletedFinalStateUnknown);
    } finally {
      told(object);
    }
  }

  /**
   * Waits until the handler has been told of every one of {@code keys}: the informer's cache when
   * its start completed. The informer tells its handlers of the objects in that cache, in order, before
   * anything later, so an object the handler has heard of has had its first event handled.
   *
   * @return whether it caught up before {@code deadline} (a {@link System#nanoTime()})
   */
  synchronized boolean awaitCaughtUp(Collection<String> keys, long deadline)
      throws InterruptedException {
    while (!told.containsAll(keys)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    caughtUp = true;
    told = null;
    return true;
  }

  private void told(T object) {
    if (caughtUp) {
      return;
    }
    synchronized (this) {
      if (told != null) {
        told.add(key.apply(object));
        notifyAll();
      }
    }
  }
}
