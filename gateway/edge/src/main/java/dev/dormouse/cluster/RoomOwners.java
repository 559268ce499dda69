package dev.dormouse.cluster;

import java.util.List;
import java.util.Set;

/**
 * A room's owners as the directory sees them now: {@code all} sorted by owner id, so that every
 * gateway hashing a room key over the same owners picks the same one, and among them the {@code
 * starting} ones, whose pod runs and has an IP but has not passed its readiness probe yet. Routing
 * counts a starting owner only while its link says it serves.
 */
public record RoomOwners(List<OwnerEndpoint> all, Set<OwnerEndpoint> starting) {

  public static final RoomOwners NONE = new RoomOwners(List.of(), Set.of());

  public RoomOwners {
    all = List.copyOf(all);
    starting = Set.copyOf(starting);
    if (!all.containsAll(starting)) {
      throw new IllegalArgumentException("starting owners " + starting + " not among " + all);
    }
  }

  /** Owners that are all ready, none starting. */
  public static RoomOwners ready(List<OwnerEndpoint> owners) {
    return new RoomOwners(owners, Set.of());
  }

  /** True when the owner's pod is not Ready yet. */
  public boolean isStarting(OwnerEndpoint owner) {
    // Checked per event and nearly always empty: no hashing then.
    return !starting.isEmpty() && starting.contains(owner);
  }
}
