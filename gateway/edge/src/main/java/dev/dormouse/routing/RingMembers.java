package dev.dormouse.routing;

import dev.dormouse.cluster.OwnerEndpoint;
import dev.dormouse.cluster.RoomOwners;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Which of a room's owners the ring counts on this gateway. An owner whose pod is starting (not
 * Ready yet) counts only while its link is up and it has not said it is paused or draining: the
 * gateway's own link is then the readiness check, and routing to it does not wait for the kubelet's
 * next probe. No grace applies to it, so that nothing is routed to a process not yet listening.
 * For a Ready owner, readiness alone is not enough: an
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

  /** The owners that count, in the directory's order. */
  List<OwnerEndpoint> of(RoomOwners owners) {
    List<OwnerEndpoint> serving = of(owners, false);
    return serving.isEmpty() ? of(owners, true) : serving;
  }

  private List<OwnerEndpoint> of(RoomOwners owners, boolean withPaused) {
    List<OwnerEndpoint> all = owners.all();
    List<OwnerEndpoint> members = null;
    for (int i = 0; i < all.size(); i++) {
      boolean counts = counts(all.get(i), owners.isStarting(all.get(i)), withPaused);
      if (!counts && members == null) {
        members = new ArrayList<>(all.subList(0, i));
      } else if (counts && members != null) {
        members.add(all.get(i));
      }
    }
    // The common case, every owner reachable, allocates nothing.
    return members == null ? all : members;
  }

  private boolean counts(OwnerEndpoint owner, boolean starting, boolean withPaused) {
    // Asking for the link opens it: a starting owner is linked to as soon as it is listed.
    OwnerLink link = links.apply(owner);
    if (link.isDraining() || (link.isPaused() && (starting || !withPaused))) {
      return false;
    }
    if (starting) {
      return link.isReady();
    }
    // isReady first: a link seen down has already published since when.
    return link.isReady() || nanoClock.getAsLong() - link.notReadySinceNanos() < graceNanos;
  }
}
