package dev.dormouse.routing;

import dev.dormouse.cluster.OwnerEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Which of a room's ready owners the ring counts on this gateway. Readiness alone is not enough: an
 * owner whose link has been down longer than the grace is left out until the link is back (a crashed
 * owner still listed, a pod that stays Ready where this gateway cannot reach it), and an owner that
 * said it is draining is left out at once. Within the grace an owner stays, so a link that blips does
 * not move keys back and forth. An owner that said it is paused (cut off from Redis) is left out while
 * any other owner counts; when none does (one owner, or Redis gone for all) the paused ones count, as
 * they still run the instances whose leases hold and hand back the rest, where leaving them out would
 * stop every room.
 */
final class RingMembers {

  private final Function<OwnerEndpoint, OwnerLink> links;
  private final LongSupplier nanoClock;
  private final long graceNanos;

  RingMembers(Function<OwnerEndpoint, OwnerLink> links, Duration grace, LongSupplier nanoClock) {
    this.links = links;
    this.graceNanos = grace.toNanos();
    this.nanoClock = nanoClock;
  }

  /** The ready owners that count, in the directory's order. */
  List<OwnerEndpoint> of(List<OwnerEndpoint> ready) {
    List<OwnerEndpoint> serving = of(ready, false);
    return serving.isEmpty() ? of(ready, true) : serving;
  }

  private List<OwnerEndpoint> of(List<OwnerEndpoint> ready, boolean withPaused) {
    List<OwnerEndpoint> members = null;
    for (int i = 0; i < ready.size(); i++) {
      boolean counts = counts(ready.get(i), withPaused);
      if (!counts && members == null) {
        members = new ArrayList<>(ready.subList(0, i));
      } else if (counts && members != null) {
        members.add(ready.get(i));
      }
    }
    // The common case, every owner reachable, allocates nothing.
    return members == null ? ready : members;
  }

  private boolean counts(OwnerEndpoint owner, boolean withPaused) {
    OwnerLink link = links.apply(owner);
    if (link.isDraining() || (link.isPaused() && !withPaused)) {
      return false;
    }
    // isReady first: a link seen down has already published since when.
    return link.isReady() || nanoClock.getAsLong() - link.notReadySinceNanos() < graceNanos;
  }
}
