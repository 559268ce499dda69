package dev.dormouse.link.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.link.ClientSink;
import dev.dormouse.link.OutboundMessage;
import dev.dormouse.link.Refusal;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What an owner sends a gateway that is not linked waits for it, within bounds; a gateway that links
 * after some of it was dropped (it was cut off, not dead) hears which of its connections lost
 * something, each closed with 1013, so no client sits on a socket that silently missed its room's
 * messages.
 */
class LinkBacklogIT {

  private final LinkFixture fixture = new LinkFixture();
  private final RecordingRoomEvents events = new RecordingRoomEvents();
  private final RecordingClients local = new RecordingClients();

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void aGatewayThatLinksAfterItsCommandsWereDroppedClosesTheConnectionsThatLostThem()
      throws Exception {
    LinkServer server = fixture.server(events);
    ClientSink owner = server.clientSink();
    for (int i = 0; i < GatewaySessions.MAX_WAITING_FRAMES; i++) {
      owner.send("gw-1", List.of("kept"), OutboundMessage.text("kept " + i));
    }
    owner.send("gw-1", List.of("lost-1", "lost-2"), OutboundMessage.text("past the bound"));
    owner.close("gw-1", "lost-3", 1000, "bye");

    fixture.readyClient("gw-1", server, local, new LinkFixture.RecordingListener());

    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(
            () ->
                local.sent.size() == GatewaySessions.MAX_WAITING_FRAMES
                    && local.closed.size() == 3);
    assertThat(local.sent).allMatch(sent -> sent.connectionIds().equals(List.of("kept")));
    Refusal dropped = Refusal.MESSAGES_DROPPED;
    assertThat(local.closed)
        .containsExactlyInAnyOrder(
            new RecordingClients.Closed("gw-1", "lost-1", 1013, dropped.reason()),
            new RecordingClients.Closed("gw-1", "lost-2", 1013, dropped.reason()),
            new RecordingClients.Closed("gw-1", "lost-3", 1013, dropped.reason()));
    assertThat(server.droppedCommands()).isEqualTo(2);
  }

  @Test
  void aGatewayWhoseCommandsAllWaitedForItLosesNothing() throws Exception {
    LinkServer server = fixture.server(events);
    server.clientSink().send("gw-1", List.of("c1"), OutboundMessage.text("waits"));

    fixture.readyClient("gw-1", server, local, new LinkFixture.RecordingListener());

    await().atMost(5, TimeUnit.SECONDS).until(() -> local.sent.size() == 1);
    assertThat(local.closed).isEmpty();
    assertThat(server.droppedCommands()).isZero();
  }
}
