package dev.dormouse.operator.admin;

import dev.dormouse.crd.v1alpha1.InstanceCounts;
import dev.dormouse.crd.v1alpha1.OwnerCounts;
import dev.dormouse.crd.v1alpha1.WebSocketRoom;
import dev.dormouse.crd.v1alpha1.WebSocketRoomStatus;
import java.util.Optional;

/**
 * One room as the operator's summary lists it: what the reconciler last wrote into its status (the
 * owner pods it counted, the activity and connections it read from Redis). Null where the status
 * has nothing yet (a room not reconciled so far).
 *
 * @param lastActivity the last event any instance handled, RFC 3339
 */
public record RoomSummary(
    String namespace,
    String name,
    String phase,
    OwnerCounts owners,
    Long connections,
    InstanceCounts instances,
    String lastActivity) {

  static RoomSummary of(WebSocketRoom room) {
    Optional<WebSocketRoomStatus> status = Optional.ofNullable(room.getStatus());
    return new RoomSummary(
        room.getMetadata().getNamespace(),
        room.getMetadata().getName(),
        status.map(WebSocketRoomStatus::getPhase).map(Enum::name).orElse(null),
        status.map(WebSocketRoomStatus::getOwners).orElse(null),
        status.map(WebSocketRoomStatus::getConnections).orElse(null),
        status.map(WebSocketRoomStatus::getInstances).orElse(null),
        status.map(WebSocketRoomStatus::getLastActivityTime).orElse(null));
  }
}
