package dev.dormouse.link.wire;

import dev.dormouse.link.RoomEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The events a gateway sent on one link that still wait for the owner's answer, by id. When the link
 * is lost every one of them is taken exactly once: either by the sender (which then keeps the event,
 * as if never sent) or by the loss handling (which answers it), never by both and never by neither.
 */
final class PendingEvents {

  private final ConcurrentHashMap<Long, RoomEvent> byId = new ConcurrentHashMap<>();
  private volatile boolean lost;

  /**
   * Any thread. Registers the event before it is written, so its answer always finds it.
   *
   * @return false when the link is already lost: the event is not pending and must go elsewhere
   */
  boolean add(long id, RoomEvent event) {
    byId.put(id, event);
    // drain() sets lost before it takes: either it sees this entry, or this sees lost, or both —
    // and then whoever removes the entry owns the event.
    return !(lost && byId.remove(id) != null);
  }

  /**
   * The event an answer is for, or null when there is none (answered already, or the link's loss
   * handling took it).
   *
   * @throws FrameFormatException when the answer does not fit the event it names
   */
  <T extends RoomEvent> T take(long id, Class<T> type) {
    RoomEvent event = byId.get(id);
    if (event == null) {
      return null;
    }
    if (!type.isInstance(event)) {
      throw new FrameFormatException(
          "answer for "
              + id
              + " expects a "
              + type.getSimpleName()
              + ", the event is a "
              + event.getClass().getSimpleName());
    }
    return byId.remove(id, event) ? type.cast(event) : null;
  }

  /** True when no event sent on the link waits for an answer. */
  boolean isEmpty() {
    return byId.isEmpty();
  }

  /** Marks the link lost and takes every event still waiting, in the order they were sent. */
  List<RoomEvent> drain() {
    lost = true;
    TreeMap<Long, RoomEvent> left = new TreeMap<>();
    for (Long id : byId.keySet()) {
      RoomEvent event = byId.remove(id);
      if (event != null) {
        left.put(id, event);
      }
    }
    return new ArrayList<>(left.values());
  }
}
