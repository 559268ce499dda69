package dev.dormouse.link.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.link.OutboundMessage;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A gateway that stops reading its link (frozen, or swamped) does not make its owner buffer without
 * end: past the link's bound the owner closes that link, and the gateway's events end as on any lost
 * link, while a healthy link beside it carries on.
 */
class LinkOverflowIT {

  private final LinkFixture fixture = new LinkFixture();

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void anOwnerClosesTheLinkOfAGatewayThatStopsReadingInsteadOfBufferingWithoutEnd()
      throws Exception {
    LinkServer server = fixture.server(new RecordingRoomEvents());
    RecordingClients healthyClients = new RecordingClients();
    fixture.readyClient("gw-healthy", server, healthyClients, new LinkFixture.RecordingListener());
    try (Socket deaf = new Socket()) {
      deaf.setReceiveBufferSize(4096);
      deaf.connect(server.address());
      Frame.Challenge challenge = (Frame.Challenge) RawPeer.read(deaf);
      byte[] nonce = LinkHandshake.nonce();
      RawPeer.write(
          deaf,
          new Frame.Hello(
              LinkHandshake.VERSION,
              "gw-deaf",
              nonce,
              new LinkHandshake(LinkFixture.SECRET)
                  .gatewayProof(challenge.nonce(), nonce, "gw-deaf")));
      assertThat(RawPeer.read(deaf)).isInstanceOf(Frame.Welcome.class);
      await().atMost(Duration.ofSeconds(5)).until(() -> server.gatewayCount() == 2);

      // From here on the deaf gateway reads nothing: what the owner sends it piles up.
      OutboundMessage megabyte = OutboundMessage.binary(new byte[1 << 20]);
      for (long sent = 0; sent < 2 * FrameWriter.MAX_PENDING_BYTES; sent += 1 << 20) {
        server.clientSink().send("gw-deaf", List.of("gw-deaf.1"), megabyte);
      }

      // Well before the heartbeat would give up on the silent gateway (8 s).
      await().atMost(Duration.ofSeconds(3)).until(() -> server.gatewayCount() == 1);
      RawPeer.awaitClosedByPeer(deaf);
      server
          .clientSink()
          .send("gw-healthy", List.of("gw-healthy.1"), OutboundMessage.text("still here"));
      await().atMost(Duration.ofSeconds(5)).until(() -> !healthyClients.sent.isEmpty());
    }
  }
}
