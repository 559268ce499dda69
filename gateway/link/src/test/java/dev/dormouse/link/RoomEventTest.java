package dev.dormouse.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dormouse.room.ConnectRequest;
import dev.dormouse.room.Message;
import dev.dormouse.room.RoomKey;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Each kind of event answers a refusal the way its waiting party understands. */
class RoomEventTest {

  private static final RoomKey KEY = RoomKey.of("default", "chat");

  private record Closed(String gatewayId, String connectionId, int code, String reason) {}

  private final List<Closed> closed = new CopyOnWriteArrayList<>();
  private final ClientCloser senders =
      (gateway, connection, code, reason) ->
          closed.add(new Closed(gateway, connection, code, reason));

  @Test
  void aConnectIsRefusedWithTheHttpStatusAndReason() {
    var connect =
        new RoomEvent.Connect(
            KEY,
            "gw-1",
            "gw-1.a",
            new ConnectRequest("/rooms/chat", Map.of(), Map.of(), "", Map.of()),
            new CompletableFuture<>());

    connect.refuse(Refusal.ROOM_DELETED, senders);

    assertThat(connect.outcome()).isCompletedWithValue(ConnectOutcome.refused(404, "Room deleted"));
    assertThat(closed).isEmpty();
  }

  @Test
  void aMessageClosesItsSenderWithTheCloseCodeAndCountsAsHandled() {
    var message =
        new RoomEvent.Incoming(
            KEY, "gw-1", "gw-1.a", Message.text("hi"), new CompletableFuture<>());

    message.refuse(Refusal.WAKE_TIMED_OUT, senders);

    assertThat(closed)
        .containsExactly(
            new Closed("gw-1", "gw-1.a", 1013, "Room did not wake in time, try again later"));
    assertThat(message.handled()).isCompleted();
  }

  @Test
  void closesAndFencesAreDoneWithoutClosingAnyone() {
    var close =
        new RoomEvent.Close(
            KEY, "gw-1", "gw-1.a", 1000, "", true, false, new CompletableFuture<>());
    var fence = new RoomEvent.Fence(KEY, "gw-1", new CompletableFuture<>());

    close.refuse(Refusal.LINK_LOST, senders);
    fence.refuse(Refusal.LINK_LOST, senders);

    assertThat(close.done()).isCompleted();
    assertThat(fence.passed()).isCompleted();
    assertThat(closed).isEmpty();
  }

  @Test
  void failuresAndAlarmsHaveNobodyToTell() {
    new RoomEvent.Failure(KEY, "gw-1", "gw-1.a", "invalid UTF-8")
        .refuse(Refusal.OWNER_LOST, senders);
    RoomEvent.Alarm.ownTimer(KEY).refuse(Refusal.OWNER_LOST, senders);

    assertThat(closed).isEmpty();
  }
}
