package dev.dormouse.runtime;

import java.time.Duration;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this owner has been without any linked gateway for a while. Then every gateway has left it
 * out of its ring (their links closed too), yet its instances would keep renewing their leases, so no
 * other owner could take their keys for as long as that lasts: past {@link #LET_GO_AFTER} the runtime
 * evicts them and their leases go back. Counted from the start too: an owner no gateway reached yet
 * has in memory at most instances an alarm woke, which may as well go once idle.
 */
final class GatewayAbsence {

  private static final Logger log = LoggerFactory.getLogger(GatewayAbsence.class);

  /**
   * As long as a gateway waits (by default) before it leaves an owner whose link is down out of its
   * ring: a link that blips does not cost the instances, and once the gateways have moved the keys
   * their new owner need not wait for the lease TTL.
   */
  static final Duration LET_GO_AFTER = Duration.ofSeconds(2);

  private final IntSupplier linkedGateways;
  private final OwnerClock clock;
  private final long afterNanos;
  private long lastLinkedNanos;
  private boolean alone;

  GatewayAbsence(IntSupplier linkedGateways, OwnerClock clock, Duration after) {
    this.linkedGateways = linkedGateways;
    this.clock = clock;
    this.afterNanos = after.toNanos();
    this.lastLinkedNanos = clock.nanoTime();
  }

  /** True once no gateway has been linked for the bound; on the timer thread only. */
  boolean alone() {
    long now = clock.nanoTime();
    if (linkedGateways.getAsInt() > 0) {
      lastLinkedNanos = now;
      if (alone) {
        log.info("a gateway linked again");
      }
      alone = false;
    } else if (!alone && now - lastLinkedNanos > afterNanos) {
      alone = true;
      log.warn(
          "no gateway linked for {} ms: evicting the instances in memory, their leases released",
          (now - lastLinkedNanos) / 1_000_000);
    }
    return alone;
  }
}
