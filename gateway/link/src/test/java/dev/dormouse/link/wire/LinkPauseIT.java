package dev.dormouse.link.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.link.RoomEvent;
import dev.dormouse.room.Message;
import dev.dormouse.room.RoomKey;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An owner that pauses (cut off from Redis) tells its gateways DRAINING as a draining owner does, and
 * SERVING once it can serve again: each gateway takes it back over the same link. A real drain is for
 * good: resuming does not undo it.
 */
class LinkPauseIT {

  private static final RoomKey KEY = RoomKey.of("default", "chat");

  private final LinkFixture fixture = new LinkFixture();
  private final RecordingRoomEvents events = new RecordingRoomEvents();
  private final RecordingClients local = new RecordingClients();

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void aPausedOwnerIsLeftOutUntilItResumesOverTheSameLinkAndIsReleasedAnewOnTheNextPause()
      throws Exception {
    LinkServer server = fixture.server(events);
    LinkFixture.RecordingListener listener = new LinkFixture.RecordingListener();
    LinkClient client = fixture.readyClient("gw-1", server, local, listener);

    server.pause();
    await().atMost(5, TimeUnit.SECONDS).until(client::isDraining);
    await().atMost(5, TimeUnit.SECONDS).until(server::released);

    server.resume();
    await().atMost(5, TimeUnit.SECONDS).until(() -> !client.isDraining());
    assertThat(listener.serving).containsExactly("owner-1");
    assertThat(listener.readyCount).as("no new link: the same one serves on").hasValue(1);
    assertThat(server.released()).as("a serving gateway has not released the owner").isFalse();
    RoomEvent.Incoming sent = message("after the pause");
    assertThat(client.offer(sent)).isTrue();
    await().atMost(5, TimeUnit.SECONDS).until(() -> events.events.size() == 1);

    server.pause();
    await().atMost(5, TimeUnit.SECONDS).until(client::isDraining);
    assertThat(listener.draining).containsExactly("owner-1", "owner-1");
    await()
        .during(Duration.ofMillis(300))
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> !server.released());
    ((RoomEvent.Incoming) events.events.get(0)).handled().complete(null);
    await().atMost(5, TimeUnit.SECONDS).until(server::released);
    assertThat(sent.handled()).isCompleted();
  }

  @Test
  void aGatewayThatLinksDuringAPauseIsToldAndTakesTheOwnerBackOnResume() throws Exception {
    LinkServer server = fixture.server(events);
    server.pause();

    LinkFixture.RecordingListener listener = new LinkFixture.RecordingListener();
    LinkClient client = fixture.readyClient("gw-2", server, local, listener);
    await().atMost(5, TimeUnit.SECONDS).until(client::isDraining);

    server.resume();
    await().atMost(5, TimeUnit.SECONDS).until(() -> !client.isDraining());
    assertThat(listener.serving).containsExactly("owner-1");
  }

  @Test
  void resumingAfterADrainLeavesTheOwnerDraining() throws Exception {
    LinkServer server = fixture.server(events);
    LinkFixture.RecordingListener listener = new LinkFixture.RecordingListener();
    LinkClient client = fixture.readyClient("gw-3", server, local, listener);
    server.pause();
    await().atMost(5, TimeUnit.SECONDS).until(client::isDraining);

    server.drain();
    server.resume();

    await()
        .during(Duration.ofMillis(500))
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> client.isDraining() && server.released());
    assertThat(listener.serving).isEmpty();
    assertThat(listener.draining).containsExactly("owner-1");
  }

  private static RoomEvent.Incoming message(String text) {
    return new RoomEvent.Incoming(
        KEY, "gw-1", "gw-1.a", Message.text(text), new CompletableFuture<>());
  }
}
