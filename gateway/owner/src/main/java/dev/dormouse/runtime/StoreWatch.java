package dev.dormouse.runtime;

import dev.dormouse.store.StoreProbe;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this owner reaches the store: past {@link #cutOffAfter} without an answer to its probes (on
 * the monotonic clock) the owner counts as cut off, and as reachable again as soon as one is answered.
 * While cut off it cannot renew leases, so it must not keep its gateways routing to it: its listeners
 * take it out of their rings, and the runtime hands its events back rather than wait on the store.
 */
public final class StoreWatch {

  private static final Logger log = LoggerFactory.getLogger(StoreWatch.class);

  /** Hears of the changes, on the runtime's timer thread or the store's: must not block. */
  public interface Listener {

    /**
     * @param cutOff true when the store has not answered for {@link #cutOffAfter}, false when it
     *     answered again after that
     */
    void changed(boolean cutOff);
  }

  private final StoreProbe probe;
  private final OwnerClock clock;
  private final long cutOffAfterNanos;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();

  /** When ({@link OwnerClock#nanoTime}) a probe was last answered; at start, the start. */
  private volatile long answeredNanos;

  /** A probe awaits its answer: a stalled store gets no second one piled on. */
  private volatile boolean probing;

  private volatile boolean cutOff;

  StoreWatch(StoreProbe probe, OwnerClock clock, Duration cutOffAfter) {
    this.probe = probe;
    this.clock = clock;
    this.cutOffAfterNanos = cutOffAfter.toNanos();
    this.answeredNanos = clock.nanoTime();
  }

  /**
   * Three tenths of the lease TTL: a lease renewed on schedule (every third of the TTL) is trusted for
   * four fifths of it from its last renewal's send, so for at least 0.47 TTL after the store went
   * silent; with the watch's own period (a quarter of this) the owner knows it is cut off by 0.375 TTL,
   * before any of its leases needs confirming (which would wait on the store).
   */
  static Duration cutOffAfter(Duration leaseTtl) {
    return leaseTtl.multipliedBy(3).dividedBy(10);
  }

  /** How often {@link #check} runs. */
  static long periodMillis(Duration cutOffAfter) {
    return Math.max(10, cutOffAfter.toMillis() / 4);
  }

  /**
   * Adds a listener; one added while the owner is already cut off hears so at once (the watch runs
   * from the runtime's start, before its wiring has listened).
   */
  public synchronized void listen(Listener listener) {
    listeners.add(listener);
    if (cutOff) {
      listener.changed(true);
    }
  }

  /** The store has not answered for {@link #cutOffAfter}, and not since. */
  public boolean cutOff() {
    return cutOff;
  }

  /** Sends a probe unless one is out, and tells the listeners if the store went silent (timer thread). */
  void check() {
    if (!probing) {
      probing = true;
      probe
          .ping()
          .whenComplete(
              (pong, error) -> {
                if (error == null) {
                  answeredNanos = clock.nanoTime();
                  // At once: events handed back meanwhile wait at the gateways for this.
                  change(false);
                }
                probing = false;
              });
    }
    change(true);
  }

  /**
   * From the timer thread or the store's, whichever sees a change first. Silence is judged under the
   * lock, so an answer recorded before it is never overruled by a check that read the time earlier.
   */
  private synchronized void change(boolean silent) {
    if (silent == cutOff || (silent && clock.nanoTime() - answeredNanos <= cutOffAfterNanos)) {
      return;
    }
    cutOff = silent;
    if (silent) {
      log.warn(
          "Redis has not answered for {} ms: leaving the gateways' rings, handing events back",
          (clock.nanoTime() - answeredNanos) / 1_000_000);
    } else {
      log.info("Redis answers again: serving");
    }
    listeners.forEach(listener -> listener.changed(silent));
  }
}
