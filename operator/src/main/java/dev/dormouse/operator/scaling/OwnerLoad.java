package dev.dormouse.operator.scaling;

/** One live owner pod as the scale-down choice sees it. */
public record OwnerLoad(String ownerId, boolean ready, int activeInstances) {}
