package dev.dormouse.runtime;

import dev.dormouse.room.RoomKey;
import dev.dormouse.store.Lease;
import dev.dormouse.store.LeaseStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This owner's lease on one room instance: taken before the instance's first event, renewed in the
 * background, confirmed before an event once it may have expired, given up on eviction. Its validity
 * is judged on the monotonic clock, with a margin for clock-rate drift between this process and Redis.
 */
final class LeaseKeeper {

  private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

  private final RoomKey key;
  private final String ownerId;
  private final LeaseStore store;
  private final OwnerClock clock;
  private volatile Lease lease;

  /** Past this ({@link OwnerClock#nanoTime}) the lease may have expired: it is confirmed before the next event. */
  private volatile long validUntilNanos;

  /**
   * A lease renewal found taken by another owner: reset before the next event if it is still the
   * lease. Which lease, because a late answer must not condemn the one taken since.
   */
  private volatile Lease lostLease;

  /** A background renewal awaits its answer: a stalled Redis gets no second one piled on. */
  private volatile boolean renewing;

  LeaseKeeper(RoomKey key, String ownerId, LeaseStore store, OwnerClock clock) {
    this.key = key;
    this.ownerId = ownerId;
    this.store = store;
    this.clock = clock;
  }

  /** The lease held, or null. */
  Lease lease() {
    return lease;
  }

  boolean held() {
    return lease != null;
  }

  /** A renewal found the lease held now taken by another owner. */
  boolean lost() {
    Lease current = lease;
    return current != null && current.equals(lostLease);
  }

  boolean mayHaveExpired() {
    return clock.nanoTime() - validUntilNanos > 0;
  }

  /**
   * Asks for the lease, waiting for the answer.
   *
   * @return the grant; when granted, the lease is held from now on
   */
  LeaseStore.Grant acquire() {
    long started = clock.nanoTime();
    LeaseStore.Grant grant = store.acquire(key, ownerId);
    if (grant.granted()) {
      lease = grant.lease();
      validUntilNanos = validUntil(started);
    }
    return grant;
  }

  /** Renews the held lease, waiting for the answer; false when it was lost. */
  boolean confirm() {
    Lease current = lease;
    long started = clock.nanoTime();
    boolean renewed = store.renew(current);
    renewed(current, started, renewed);
    return renewed;
  }

  /** The lease is no longer this owner's to act on. */
  void forget() {
    lease = null;
    lostLease = null;
  }

  /**
   * Renews the held lease without waiting: busy rooms never delay a renewal and a stalled Redis holds
   * no thread. While an answer is late, {@link #mayHaveExpired} lets the instance act only until its
   * lease may have expired.
   */
  void renewInBackground() {
    Lease current = lease;
    if (current == null || current.equals(lostLease) || renewing) {
      return;
    }
    renewing = true;
    long started = clock.nanoTime();
    store
        .renewInBackground(current)
        .whenComplete(
            (renewed, error) -> {
              renewing = false;
              if (error != null) {
                log.warn("could not renew lease of {}: {}", key, error.toString());
              } else {
                renewed(current, started, renewed);
              }
            });
  }

  /** Gives the lease up without waiting: this runs on the timer thread, which must never wait on Redis. */
  void release() {
    Lease current = lease;
    if (current == null) {
      return;
    }
    store
        .releaseInBackground(current)
        .whenComplete(
            (released, error) -> {
              if (error != null) {
                // It expires on its own; another owner just waits a little longer.
                log.warn(
                    "could not release lease {} of {}: {}", current.token(), key, error.toString());
              }
            });
  }

  /**
   * A renewal of {@code renewedLease} sent at {@code startedNanos} was answered. A yes counts for the
   * lease held now even if it replaced {@code renewedLease} meanwhile: Redis answered before it set the
   * new one, so the new one lives at least as long.
   */
  private void renewed(Lease renewedLease, long startedNanos, boolean renewed) {
    if (renewed) {
      validUntilNanos = validUntil(startedNanos);
    } else {
      lostLease = renewedLease;
    }
  }

  /**
   * Until when this owner may act on a lease granted or renewed at {@code grantedNanos}: its time to
   * live less a margin for clock-rate drift between this process and Redis.
   */
  private long validUntil(long grantedNanos) {
    long ttl = store.ttl().toNanos();
    return grantedNanos + ttl - ttl / 5;
  }
}
