package dev.dormouse.link.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.link.ConnectOutcome;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.room.ConnectRequest;
import dev.dormouse.room.Message;
import dev.dormouse.room.RoomKey;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** When an owner goes away nothing waits forever and no message is silently lost; when it comes back, neither is the link. */
class LinkLossIT {

  private static final RoomKey KEY = RoomKey.of("default", "chat");
  private static final ConnectRequest REQUEST =
      new ConnectRequest("/rooms/chat", Map.of(), Map.of(), "127.0.0.1:1", Map.of());

  private final LinkFixture fixture = new LinkFixture();
  private final RecordingRoomEvents events = new RecordingRoomEvents();
  private final RecordingClients local = new RecordingClients();
  private final LinkFixture.RecordingListener listener = new LinkFixture.RecordingListener();

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void losingTheOwnerAnswersEveryPendingEventAndReportsTheUnhandledMessages() throws Exception {
    // The owner handles only the message "handled"; everything else stays unanswered.
    events.answer =
        event -> {
          if (event instanceof RoomEvent.Incoming m && m.message().text().equals("handled")) {
            m.handled().complete(null);
          }
        };
    LinkServer server = fixture.server(events);
    LinkClient client = fixture.readyClient("gw-1", server, local, listener);
    RoomEvent.Connect connect =
        new RoomEvent.Connect(KEY, "gw-1", "gw-1.a", REQUEST, new CompletableFuture<>());
    RoomEvent.Incoming handled = message("handled");
    List<RoomEvent.Incoming> unanswered = List.of(message("one"), message("two"), message("three"));
    RoomEvent.Close close =
        new RoomEvent.Close(
            KEY, "gw-1", "gw-1.b", 1000, "", true, false, new CompletableFuture<>());
    RoomEvent.Fence fence = new RoomEvent.Fence(KEY, "gw-1", new CompletableFuture<>());
    client.offer(connect);
    client.offer(unanswered.get(0));
    client.offer(handled);
    client.offer(unanswered.get(1));
    client.offer(close);
    client.offer(unanswered.get(2));
    client.offer(fence);
    handled.handled().get(5, TimeUnit.SECONDS);
    await().atMost(5, TimeUnit.SECONDS).until(() -> events.events.size() == 7);

    server.close();

    assertThat(connect.outcome().get(5, TimeUnit.SECONDS))
        .isEqualTo(ConnectOutcome.refused(503, "Owner connection lost, try again"));
    CompletableFuture.allOf(close.done(), fence.passed()).get(5, TimeUnit.SECONDS);
    await().atMost(5, TimeUnit.SECONDS).until(() -> listener.losses.size() == 1);
    assertThat(listener.losses.get(0)).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(listener.losses.get(0).get(i)).isSameAs(unanswered.get(i));
    }
    assertThat(client.isReady()).isFalse();
    assertThat(client.offer(message("after the loss"))).isFalse();
  }

  @Test
  void theGatewayReconnectsWhenTheOwnerComesBackOnTheSamePort() throws Exception {
    LinkServer first = fixture.server(events);
    int port = first.address().getPort();
    LinkClient client = fixture.readyClient("gw-1", first, local, listener);

    first.close();
    await().atMost(5, TimeUnit.SECONDS).until(() -> !client.isReady());
    RecordingRoomEvents revived = new RecordingRoomEvents();
    revived.answer = event -> ((RoomEvent.Incoming) event).handled().complete(null);
    LinkServer second = fixture.server(revived, port, LinkFixture.SECRET);

    await().atMost(10, TimeUnit.SECONDS).until(client::isReady);
    RoomEvent.Incoming message = message("hello again");
    assertThat(client.offer(message)).isTrue();
    message.handled().get(5, TimeUnit.SECONDS);
    assertThat(revived.of(RoomEvent.Incoming.class))
        .extracting(m -> m.message().text())
        .containsExactly("hello again");
    assertThat(listener.readyCount).hasValue(2);
    assertThat(listener.losses).hasSize(1);
    assertThat(second.gatewayCount()).isEqualTo(1);
  }

  private static RoomEvent.Incoming message(String text) {
    return new RoomEvent.Incoming(
        KEY, "gw-1", "gw-1.a", Message.text(text), new CompletableFuture<>());
  }
}
