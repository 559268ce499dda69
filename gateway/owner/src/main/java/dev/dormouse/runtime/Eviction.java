package dev.dormouse.runtime;

/** Why an instance left memory, as its history tells it. */
enum Eviction {
  /** Idle for its room's idleTimeout. */
  IDLE("idle"),
  /** Ordered out of memory from the admin page or API ({@code POST …/hibernate}). */
  ADMIN("admin"),
  /** Another owner holds its lease now. */
  LEASE_LOST("lease lost"),
  /** No gateway was linked for a while ({@link GatewayAbsence}). */
  NO_GATEWAY("no gateway"),
  /** A handler threw or overran its eventTimeout. */
  RESET("reset"),
  /** The owner drains or closes. */
  SHUTDOWN("shutdown");

  private final String reason;

  Eviction(String reason) {
    this.reason = reason;
  }

  String reason() {
    return reason;
  }
}
