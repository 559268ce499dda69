package dev.dormouse.operator.scaling;

import java.time.Instant;
import java.util.Optional;

/**
 * What the scaling policy is told about a room right now.
 *
 * @param activeInstances instances in memory on the room's live owners
 * @param lastActivity last event any instance handled, if ever known
 * @param wakeRequested when a gateway last asked for the room to be woken, if it did
 * @param currentOwners owner pods that exist and are not terminating
 */
public record Demand(int activeInstances, Optional<Instant> lastActivity, Optional<Instant> wakeRequested,
    int currentOwners) {

  public static Demand idle() {
    return new Demand(0, Optional.empty(), Optional.empty(), 0);
  }

  public Demand withActiveInstances(int active) {
    return new Demand(active, lastActivity, wakeRequested, currentOwners);
  }

  public Demand withLastActivity(Instant at) {
    return new Demand(activeInstances, Optional.of(at), wakeRequested, currentOwners);
  }

  public Demand withWakeRequested(Instant at) {
    return new Demand(activeInstances, lastActivity, Optional.of(at), currentOwners);
  }

  public Demand withCurrentOwners(int owners) {
    return new Demand(activeInstances, lastActivity, wakeRequested, owners);
  }
}
