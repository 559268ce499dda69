package dev.dormouse.operator.reconcile;

import dev.dormouse.crd.v1alpha1.WebSocketRoom;
import dev.dormouse.crd.v1alpha1.WebSocketRoomStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Warning {@code CodeFailed} per error of a room's code: when it first shows and when it
 * changes. Remembered here rather than read from the room's last status, which the next reconcile
 * may see before the status write that carried the error reached the informer's cache.
 */
final class CodeFailureEvents {

  private final RoomEvents events;
  private final Map<String, String> announced = new ConcurrentHashMap<>();

  CodeFailureEvents(RoomEvents events) {
    this.events = events;
  }

  void observe(WebSocketRoom room, WebSocketRoomStatus status) {
    String key = key(room);
    Optional<String> error = codeError(status);
    if (error.isEmpty()) {
      announced.remove(key);
    } else if (!error.get().equals(announced.put(key, error.get()))) {
      events.warning(room, RoomStatusBuilder.CODE_FAILED, error.get());
    }
  }

  void forget(WebSocketRoom room) {
    announced.remove(key(room));
  }

  private static Optional<String> codeError(WebSocketRoomStatus status) {
    return RoomStatusBuilder.find(status, WebSocketRoomStatus.CONDITION_READY)
        .filter(ready -> RoomStatusBuilder.CODE_FAILED.equals(ready.getReason()))
        .map(Condition::getMessage);
  }

  private static String key(WebSocketRoom room) {
    return room.getMetadata().getNamespace() + "/" + room.getMetadata().getName();
  }
}
