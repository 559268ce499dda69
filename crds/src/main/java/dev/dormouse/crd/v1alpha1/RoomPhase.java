package dev.dormouse.crd.v1alpha1;

public enum RoomPhase {
  /** Accepted, owners not yet known or not ready. */
  Pending,
  /** At least one instance is in memory. */
  Active,
  /** No instance in memory; sockets may stay open at the gateways. */
  Hibernated,
  /** The spec cannot be served; see the Reconciled condition. */
  Degraded
}
