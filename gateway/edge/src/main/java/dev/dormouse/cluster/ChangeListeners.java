package dev.dormouse.cluster;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The listeners of an {@link OwnerDirectory}; one that throws does not keep the others from hearing. */
final class ChangeListeners {

  private static final Logger LOG = LoggerFactory.getLogger(ChangeListeners.class);

  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  void add(Runnable listener) {
    listeners.add(listener);
  }

  void fire() {
    for (Runnable listener : listeners) {
      try {
        listener.run();
      } catch (RuntimeException e) {
        LOG.warn("owner change listener failed", e);
      }
    }
  }
}
