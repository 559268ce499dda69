package dev.dormouse.adminapi;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where an instance is in the hibernation cycle, as the admin API names it. */
public enum InstanceState {
  /** In memory at its owner: the owner holds its lease. */
  ACTIVE("active"),
  /** Not in memory; its sockets, if any, stay open at their gateways. */
  HIBERNATED("hibernated"),
  /** Events wait at this gateway for an owner to take them (a wake from zero, a move). */
  WAKING("waking"),
  /** Not in memory, and its room has no owner this gateway can send events to. */
  NO_OWNER("no owner");

  private final String label;

  InstanceState(String label) {
    this.label = label;
  }

  @JsonValue
  public String label() {
    return label;
  }

  /**
   * @param waitingEvents the instance's events waiting at this gateway
   * @param leaseHeld an owner holds its lease
   * @param roomHasOwner the room has an owner in this gateway's ring
   */
  static InstanceState of(int waitingEvents, boolean leaseHeld, boolean roomHasOwner) {
    if (waitingEvents > 0) {
      return WAKING;
    }
    if (leaseHeld) {
      return ACTIVE;
    }
    return roomHasOwner ? HIBERNATED : NO_OWNER;
  }
}
