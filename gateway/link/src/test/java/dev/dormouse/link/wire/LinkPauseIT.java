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
 * An owner that pauses (cut off from Redis) tells its gateways PAUSED, and SERVING once it can serve
 * again: each gateway takes it back over the same link. A pause is not a drain (no RELEASED is asked
 * for), and a drain is for good: resuming does not undo it.
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
  void aPausedOwnerIsToldToGatewaysUntilItResumesOverTheSameLink() throws Exception {
    LinkServer server = fixture.server(events);
    LinkFixture.RecordingListener listener = new LinkFixture.RecordingListener();
    LinkClient client = fixture.readyClient("gw-1", server, local, listener);

    server.pause();
    await().atMost(5, TimeUnit.SECONDS).until(client::isPaused);
    assertThat(listener.paused).containsExactly("owner-1");
    assertThat(client.isDraining()).isFalse();
    assertThat(listener.draining).isEmpty();
    // Still linked: what the gateway sends meanwhile reaches the owner, which may hand it back.
    RoomEvent.Incoming sent = message("while paused");
    assertThat(client.offer(sent)).isTrue();
    await().atMost(5, TimeUnit.SECONDS).until(() -> events.events.size() == 1);

    server.resume();
    await().atMost(5, TimeUnit.SECONDS).until(() -> !client.isPaused());
    assertThat(listener.serving).containsExactly("owner-1");
    assertThat(listener.readyCount).as("no new link: the same one serves on").hasValue(1);
    assertThat(listener.losses).isEmpty();

    server.pause();
    await().atMost(5, TimeUnit.SECONDS).until(client::isPaused);
    assertThat(listener.paused).containsExactly("owner-1", "owner-1");
  }

  @Test
  void aGatewayThatLinksDuringAPauseIsToldAndTakesTheOwnerBackOnResume() throws Exception {
    LinkServer server = fixture.server(events);
    server.pause();

    LinkFixture.RecordingListener listener = new LinkFixture.RecordingListener();
    LinkClient client = fixture.readyClient("gw-2", server, local, listener);
    await().atMost(5, TimeUnit.SECONDS).until(client::isPaused);

    server.resume();
    await().atMost(5, TimeUnit.SECONDS).until(() -> !client.isPaused());
    assertThat(listener.serving).containsExactly("owner-1");
  }

  @Test
  void resumingAfterADrainLeavesTheOwnerDraining() throws Exception {
    LinkServer server = fixture.server(events);
    LinkFixture.RecordingListener listener = new LinkFixture.RecordingListener();
    LinkClient client = fixture.readyClient("gw-3", server, local, listener);
    server.pause();
    await().atMost(5, TimeUnit.SECONDS).until(client::isPaused);

    server.drain();
    server.resume();

    await().atMost(5, TimeUnit.SECONDS).until(() -> client.isDraining() && server.released());
    await()
        .during(Duration.ofMillis(500))
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> client.isDraining() && client.isPaused());
    assertThat(listener.serving).isEmpty();
    assertThat(listener.draining).containsExactly("owner-1");
  }

  private static RoomEvent.Incoming message(String text) {
    return new RoomEvent.Incoming(
        KEY, "gw-1", "gw-1.a", Message.text(text), new CompletableFuture<>());
  }
}
