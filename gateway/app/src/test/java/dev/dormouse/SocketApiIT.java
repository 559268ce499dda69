package dev.dormouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.contract.RedisKeys;
import dev.dormouse.room.RoomKey;
import dev.dormouse.testing.ClientFrames;
import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.RawWebSocket;
import dev.dormouse.testing.WsClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The socket half of the Durable Object state API over real sockets: {@code getTags}, the
 * hibernatable socket event timeout, and {@code onError} for what goes wrong on a socket.
 */
class SocketApiIT {

  static LocalRunFixture dormouse;

  @BeforeAll
  static void start() throws IOException {
    // eventTimeout stays at its 30 s default: only the room's own socket event timeout can cut a
    // handler within the tests' bounds.
    dormouse =
        LocalRunFixture.start(
            LocalRunFixture.room(
                "sockets",
                "dev.dormouse.testing.ProbeRoom",
                """
            instances: true
            hibernation:
              idleTimeout: 300ms
            limits:
              maxMessageBytes: 1024
            """));
  }

  @AfterAll
  static void stop() throws Exception {
    dormouse.close();
  }

  private static String stored(String instance, String field) {
    return dormouse
        .run()
        .redis()
        .sync()
        .hget(RedisKeys.storage(new RoomKey("default", "sockets", instance)), field);
  }

  private static void awaitHibernation(double evictionsBefore) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                dormouse.run().metrics().evictions() > evictionsBefore
                    && dormouse.run().runtime().activeInstances() == 0);
  }

  @Test
  void getTagsHasTheTagsTheSocketCarriesAlsoAfterHibernation() {
    WsClient ann = WsClient.connect(dormouse.ws("/rooms/sockets/tags?name=ann&tags=red,blue"));
    ann.send("ctx-tags");
    assertThat(ann.nextText()).isEqualTo("ctx-tags [red, blue]");
    ann.send("retag:green");
    assertThat(ann.nextText()).isEqualTo("tags [green]");

    awaitHibernation(dormouse.run().metrics().evictions());
    ann.send("ctx-tags");

    assertThat(ann.nextText()).isEqualTo("ctx-tags [green]");
  }

  @Test
  void theSocketEventTimeoutCutsASlowHandlerInThisAndLaterActivations() {
    WsClient slow = WsClient.connect(dormouse.ws("/rooms/sockets/slow?name=s"));
    slow.send("socket-timeout:500");
    assertThat(slow.nextText()).isEqualTo("socket timeout PT0.5S");

    for (int activation = 1; activation <= 2; activation++) {
      double timeouts = dormouse.run().metrics().errors("timeout");
      slow.send("sleep:20000");
      await()
          .alias(
              "activation "
                  + activation
                  + ": cut by the 500 ms socket timeout, not the 30 s eventTimeout")
          .atMost(Duration.ofSeconds(5))
          .until(() -> dormouse.run().metrics().errors("timeout") > timeouts);
      // As past the eventTimeout: the instance is reset, the message counts as handled, the client
      // stays and the next activation (which reads the timeout from Redis) answers.
      slow.send("after reset " + activation);
      assertThat(slow.nextText()).isEqualTo("echo:after reset " + activation);
      assertThat(slow.isClosed()).isFalse();
    }
  }

  @Test
  void aSocketEventTimeoutOutOfRangeIsRefusedAndZeroRemovesIt() {
    WsClient client = WsClient.connect(dormouse.ws("/rooms/sockets/bounds?name=b"));
    client.send("socket-timeout:-1");
    assertThat(client.nextText())
        .isEqualTo(
            "refused: a hibernatable WebSocket event timeout must be 0 … PT168H, got PT-0.001S");
    client.send("socket-timeout:" + (Duration.ofDays(7).toMillis() + 1));
    assertThat(client.nextText()).startsWith("refused: ");
    client.send("socket-timeout:250");
    assertThat(client.nextText()).isEqualTo("socket timeout PT0.25S");

    client.send("socket-timeout:0");
    assertThat(client.nextText()).isEqualTo("socket timeout null");
    String fields =
        dormouse
            .run()
            .redis()
            .sync()
            .hkeys(RedisKeys.autoResponse(new RoomKey("default", "sockets", "bounds")))
            .toString();
    assertThat(fields).doesNotContain("eventTimeout");
  }

  static Stream<Arguments> protocolErrors() {
    byte[] masked = new byte[] {0x37, (byte) 0xfa, 0x21, 0x3d};
    return Stream.of(
        Arguments.of(
            "utf8", ClientFrames.frame(1, new byte[] {(byte) 0xC3, 0x28}), 1007, "Invalid UTF-8"),
        Arguments.of(
            "unmasked",
            ClientFrames.custom(0x81, false, "hi".getBytes(StandardCharsets.UTF_8)),
            1002,
            "Client frames must be masked"),
        Arguments.of(
            "reserved", ClientFrames.custom(0xC1, true, masked), 1002, "Reserved bits set"),
        Arguments.of("oversized", ClientFrames.frame(2, new byte[2000]), 1009, "larger than 1024"),
        Arguments.of(
            "closecode",
            ClientFrames.frame(8, ClientFrames.closePayload(999, new byte[0])),
            1002,
            "Invalid close code 999"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("protocolErrors")
  void everyProtocolErrorReachesOnError(String name, byte[] frame, int code, String described)
      throws IOException {
    try (RawWebSocket raw =
        RawWebSocket.open(
            dormouse.run().gatewayAddress(), "GET", "/rooms/sockets/" + name + "?name=" + name)) {
      assertThat(raw.status()).isEqualTo(101);
      raw.send(frame);
      assertThat(raw.readUntilClose().closeCode()).isEqualTo(code);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> stored(name, "error:" + name) != null);
    assertThat(stored(name, "error:" + name)).startsWith("ProtocolException: ").contains(described);
    await().atMost(Duration.ofSeconds(10)).until(() -> stored(name, "closed:" + name) != null);
    assertThat(stored(name, "closed:" + name)).startsWith(code + " ");
  }

  @Test
  void whatCannotBeSentToAClientTooSlowToReadReachesOnError() throws IOException {
    try (RawWebSocket slow =
        RawWebSocket.open(dormouse.run().gatewayAddress(), "GET", "/rooms/sockets/reader?name=r")) {
      assertThat(slow.status()).isEqualTo(101);

      // 12 MB in 1000-byte messages: past what the kernel buffers, then past the gateway's queue.
      slow.sendText("flood:12000:1000".getBytes(StandardCharsets.UTF_8));

      await().atMost(Duration.ofSeconds(20)).until(() -> stored("reader", "error:r") != null);
      assertThat(stored("reader", "error:r")).startsWith("ProtocolException: Client too slow");
      await().atMost(Duration.ofSeconds(10)).until(() -> stored("reader", "closed:r") != null);
      assertThat(stored("reader", "closed:r")).startsWith("1008 ");
    }
  }
}
