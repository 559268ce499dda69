package dev.dormouse.operator.scaling;

import dev.dormouse.crd.v1alpha1.Durations;
import dev.dormouse.crd.v1alpha1.Hibernation;
import dev.dormouse.crd.v1alpha1.Owners;
import dev.dormouse.crd.v1alpha1.WebSocketRoomSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * How many owner pods a room should have, and which to drain first when it has too many. Pure
 * arithmetic over the spec and the demand, so every edge is a unit test.
 */
public final class ScalingPolicy {

  /** Emptiest first; among equals a pod that is not ready yet costs nothing to lose. */
  private static final Comparator<OwnerLoad> DRAIN_ORDER =
      Comparator.comparingInt(OwnerLoad::activeInstances)
          .thenComparing(OwnerLoad::ready)
          .thenComparing(OwnerLoad::ownerId);

  private final Clock clock;

  public ScalingPolicy(Clock clock) {
    this.clock = clock;
  }

  public int desiredOwners(WebSocketRoomSpec spec, Demand demand) {
    int min = minReplicas(spec);
    int max = Math.max(min, maxReplicas(spec));
    int wanted = isAwake(spec, demand) ? Math.max(1, ownersFor(spec, demand.activeInstances())) : 0;
    return Math.min(max, Math.max(min, wanted));
  }

  /** The owners to delete so that {@code desired} remain. */
  public List<OwnerLoad> ownersToRemove(List<OwnerLoad> owners, int desired) {
    int excess = owners.size() - desired;
    if (excess <= 0) {
      return List.of();
    }
    return owners.stream().sorted(DRAIN_ORDER).limit(excess).toList();
  }

  private boolean isAwake(WebSocketRoomSpec spec, Demand demand) {
    if (demand.activeInstances() > 0) {
      return true;
    }
    Optional<Duration> scaleToZeroAfter = scaleToZeroAfter(spec);
    if (scaleToZeroAfter.isEmpty()) {
      // "never": once owners run they stay; a sleeping room still waits for its first wake.
      return demand.currentOwners() > 0 || demand.wakeRequested().isPresent();
    }
    Optional<Instant> busySince =
        Stream.of(demand.lastActivity(), demand.wakeRequested())
            .flatMap(Optional::stream)
            .max(Comparator.naturalOrder());
    return busySince
        .map(at -> clock.instant().isBefore(at.plus(scaleToZeroAfter.get())))
        .orElse(false);
  }

  private static int ownersFor(WebSocketRoomSpec spec, int activeInstances) {
    int perOwner = Math.max(1, activeInstancesPerOwner(spec));
    return (int) Math.min(Integer.MAX_VALUE, (activeInstances + (long) perOwner - 1) / perOwner);
  }

  private static int minReplicas(WebSocketRoomSpec spec) {
    Owners owners = spec.getOwners();
    return owners == null || owners.getMinReplicas() == null
        ? Owners.DEFAULT_MIN_REPLICAS
        : owners.getMinReplicas();
  }

  private static int maxReplicas(WebSocketRoomSpec spec) {
    Owners owners = spec.getOwners();
    if (owners != null && owners.getMaxReplicas() != null) {
      return owners.getMaxReplicas();
    }
    return Boolean.TRUE.equals(spec.getInstances())
        ? Owners.DEFAULT_MAX_REPLICAS_WITH_INSTANCES
        : Owners.DEFAULT_MAX_REPLICAS;
  }

  private static int activeInstancesPerOwner(WebSocketRoomSpec spec) {
    Owners owners = spec.getOwners();
    return owners == null || owners.getActiveInstancesPerOwner() == null
        ? Owners.DEFAULT_ACTIVE_INSTANCES_PER_OWNER
        : owners.getActiveInstancesPerOwner();
  }

  private static Optional<Duration> scaleToZeroAfter(WebSocketRoomSpec spec) {
    Hibernation hibernation = spec.getHibernation();
    String text =
        hibernation == null || hibernation.getScaleToZeroAfter() == null
            ? Hibernation.DEFAULT_SCALE_TO_ZERO_AFTER
            : hibernation.getScaleToZeroAfter();
    return Durations.parseOrNever(text);
  }
}
