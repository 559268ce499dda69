package dev.dormouse.link.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.link.RoomEvent;
import dev.dormouse.room.Message;
import dev.dormouse.room.RoomKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A draining owner tells its gateways, and learns from each when nothing it sent waits for an answer. */
class LinkDrainIT {

  private static final RoomKey KEY = RoomKey.of("default", "chat");

  private final LinkFixture fixture = new LinkFixture();
  private final RecordingRoomEvents events = new RecordingRoomEvents();
  private final RecordingClients local = new RecordingClients();

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void aGatewayReleasesADrainingOwnerOnlyOnceEverythingItSentIsAnswered() throws Exception {
    LinkServer server = fixture.server(events);
    LinkFixture.RecordingListener listener = new LinkFixture.RecordingListener();
    LinkClient client = fixture.readyClient("gw-1", server, local, listener);
    RoomEvent.Incoming unanswered = message("still in the room");
    client.offer(unanswered);
    await().atMost(5, TimeUnit.SECONDS).until(() -> events.events.size() == 1);

    server.drain();

    await().atMost(5, TimeUnit.SECONDS).until(() -> listener.draining.equals(List.of("owner-1")));
    assertThat(client.isDraining()).isTrue();
    await()
        .during(Duration.ofMillis(300))
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> !server.released());
    ((RoomEvent.Incoming) events.events.get(0)).handled().complete(null);
    await().atMost(5, TimeUnit.SECONDS).until(server::released);
    assertThat(unanswered.handled()).isCompleted();
  }

  @Test
  void aGatewayThatLinksDuringTheDrainIsToldAndReleasesAtOnceWhenItSentNothing() throws Exception {
    LinkServer server = fixture.server(events);
    server.drain();
    assertThat(server.released()).as("no gateway linked: nobody to wait for").isTrue();

    LinkFixture.RecordingListener listener = new LinkFixture.RecordingListener();
    LinkClient client = fixture.readyClient("gw-2", server, local, listener);

    await().atMost(5, TimeUnit.SECONDS).until(client::isDraining);
    await()
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> server.gatewayCount() == 1 && server.released());
    assertThat(listener.draining).containsExactly("owner-1");
  }

  private static RoomEvent.Incoming message(String text) {
    return new RoomEvent.Incoming(
        KEY, "gw-1", "gw-1.a", Message.text(text), new CompletableFuture<>());
  }
}
