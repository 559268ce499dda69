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
public record Demand(
    int activeInstances,
    Optional<Instant> lastActivity,
    Optional<Instant> wakeRequested,
    int currentOwners) {}
