package dev.dormouse.cluster;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** For runs without Kubernetes, where owners are started by hand: there is no one to ask. */
public final class NoWakeRequester implements WakeRequester {

  private static final Logger LOG = LoggerFactory.getLogger(NoWakeRequester.class);

  private final AtomicBoolean told = new AtomicBoolean();

  @Override
  public void requestWake(String namespace, String room) {
    // Once: a gateway waiting for an owner calls this on every buffered event.
    if (told.compareAndSet(false, true)) {
      LOG.warn(
          "room {}/{} has no ready owner, and without Kubernetes none can be woken: start an owner"
              + " (said once; the same holds for any room)",
          namespace,
          room);
    }
  }
}
