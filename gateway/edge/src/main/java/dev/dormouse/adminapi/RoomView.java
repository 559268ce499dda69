package dev.dormouse.adminapi;

import java.util.List;

/**
 * One room of the catalog as the admin API shows it.
 *
 * @param namedInstances whether its instances are named ({@code /rooms/{room}/{instance}})
 * @param hasOwner it has an owner this gateway can send events to
 * @param activeInstances its instances in memory, as its owners last reported
 * @param lastActivity the last event any of its instances handled, as its owners last reported
 *     (epoch millis), else null
 * @param instances its known instances: those the gateways counted connections of, or with events
 *     waiting here; a room without named instances always lists its one instance
 */
public record RoomView(
    String namespace,
    String room,
    String handler,
    boolean namedInstances,
    boolean hasOwner,
    int activeInstances,
    Long lastActivity,
    List<InstanceView> instances) {}
