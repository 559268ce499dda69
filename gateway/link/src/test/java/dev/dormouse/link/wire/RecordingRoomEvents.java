package dev.dormouse.link.wire;

import dev.dormouse.link.RoomEvent;
import dev.dormouse.link.RoomEventSink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Stands in for an owner's room runtime: records what the link offers and answers as a test says. */
final class RecordingRoomEvents implements RoomEventSink {

  final List<RoomEvent> events = new CopyOnWriteArrayList<>();
  volatile boolean acceptMessages = true;
  volatile Consumer<RoomEvent> answer = event -> {};

  @Override
  public boolean offer(RoomEvent event) {
    if (event instanceof RoomEvent.Incoming && !acceptMessages) {
      return false;
    }
    events.add(event);
    answer.accept(event);
    return true;
  }

  <T extends RoomEvent> List<T> of(Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }
}
