package dev.dormouse.link.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.room.Message;
import dev.dormouse.room.RoomKey;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Nobody gets events into an owner, or commands into a gateway, without proving the shared secret. */
class LinkAuthenticationIT {

  private final LinkFixture fixture = new LinkFixture();
  private final RecordingRoomEvents events = new RecordingRoomEvents();
  private final RecordingClients local = new RecordingClients();
  private final LinkFixture.RecordingListener listener = new LinkFixture.RecordingListener();

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void aGatewayWithTheWrongSecretIsRefused() throws Exception {
    LinkServer server = fixture.server(events);

    LinkClient client =
        fixture.client(
            "gw-1", server, "not the secret".getBytes(StandardCharsets.UTF_8), local, listener);

    await().atMost(5, TimeUnit.SECONDS).until(() -> server.refusedPeers() >= 2);
    assertThat(client.isReady()).isFalse();
    assertThat(listener.readyCount).hasValue(0);
    assertThat(server.gatewayCount()).isZero();
  }

  @Test
  void aPeerSpeakingAnotherProtocolIsDisconnected() throws Exception {
    LinkServer server = fixture.server(events);

    try (Socket socket = new Socket()) {
      socket.connect(server.address());
      socket
          .getOutputStream()
          .write("GET / HTTP/1.1\r\nHost: owner\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      RawPeer.awaitClosedByPeer(socket);
    }

    await().atMost(5, TimeUnit.SECONDS).until(() -> server.refusedPeers() == 1);
  }

  @Test
  void anEventBeforeTheHandshakeIsRefusedAndNeverDelivered() throws Exception {
    LinkServer server = fixture.server(events);

    try (Socket socket = new Socket()) {
      socket.connect(server.address());
      assertThat(RawPeer.read(socket)).isInstanceOf(Frame.Challenge.class);
      RawPeer.write(
          socket,
          new Frame.Incoming(1, RoomKey.of("default", "chat"), "gw-x.1", Message.text("injected")));
      RawPeer.awaitClosedByPeer(socket);
    }

    await().atMost(5, TimeUnit.SECONDS).until(() -> server.refusedPeers() == 1);
    assertThat(events.events).isEmpty();
  }

  @Test
  void aGatewayRefusesAnOwnerThatCannotProveTheSecret() throws Exception {
    try (ServerSocket fakeOwner =
        new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      LinkClient client =
          new LinkClient(
              "gw-1",
              new InetSocketAddress("127.0.0.1", fakeOwner.getLocalPort()),
              LinkFixture.SECRET,
              local,
              fixture.group,
              listener);
      try (client) {
        client.start();
        try (Socket socket = fakeOwner.accept()) {
          byte[] ownerNonce = LinkHandshake.nonce();
          RawPeer.write(socket, new Frame.Challenge(LinkHandshake.VERSION, ownerNonce));
          Frame.Hello hello = (Frame.Hello) RawPeer.read(socket);
          // The gateway's proof is genuine; the fake owner answers it with one it made up.
          assertThat(hello.gatewayId()).isEqualTo("gw-1");
          assertThat(hello.proof())
              .isEqualTo(
                  new LinkHandshake(LinkFixture.SECRET)
                      .gatewayProof(ownerNonce, hello.nonce(), "gw-1"));
          RawPeer.write(socket, new Frame.Welcome("owner-evil", new byte[32]));
          RawPeer.awaitClosedByPeer(socket);
        }
        await()
            .during(Duration.ofMillis(200))
            .atMost(2, TimeUnit.SECONDS)
            .until(() -> !client.isReady());
        assertThat(listener.readyCount).hasValue(0);
        assertThat(client.ownerId()).isNull();
      }
    }
  }
}
