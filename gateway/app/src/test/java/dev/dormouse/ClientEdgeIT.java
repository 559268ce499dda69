package dev.dormouse;

import static dev.dormouse.testing.ClientFrames.BINARY;
import static dev.dormouse.testing.ClientFrames.CONTINUATION;
import static dev.dormouse.testing.ClientFrames.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.gateway.EdgeSettings;
import dev.dormouse.testing.ClientFrames;
import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.RawWebSocket;
import dev.dormouse.testing.WsClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Clients that break the rules on purpose, over raw sockets: each gets the status or close code
 * docs/limits.md promises, at the frame header or within the gateway's timeouts, and none of them
 * leaves anything behind.
 */
class ClientEdgeIT {

  static final Duration TIMEOUT = Duration.ofSeconds(1);
  static LocalRunFixture dormouse;

  @BeforeAll
  static void start() throws IOException {
    dormouse =
        LocalRunFixture.start(
            new EdgeSettings(TIMEOUT, TIMEOUT, TIMEOUT, 1000, 8192),
            LocalRunFixture.room(
                "small",
                "dev.dormouse.testing.ProbeRoom",
                """
            instances: true
            limits:
              maxMessageBytes: 1024
            """),
            LocalRunFixture.room(
                "rated",
                "dev.dormouse.testing.ProbeRoom",
                """
            instances: true
            autoResponse:
              request: ping
              response: pong
            limits:
              maxMessageBytes: 1024
              messagesPerSecond: 10
              messagesBurst: 20
              bytesPerSecond: 2048
              bytesBurst: 4096
            """),
            LocalRunFixture.room("chat", "chat", "instances: true\n"));
  }

  @AfterAll
  static void stop() throws Exception {
    dormouse.close();
  }

  static InetSocketAddress gateway() {
    return dormouse.run().gatewayAddress();
  }

  static RawWebSocket upgraded(String path) throws IOException {
    RawWebSocket raw = RawWebSocket.open(gateway(), "GET", path);
    assertThat(raw.status()).as("upgrade of %s", path).isEqualTo(101);
    return raw;
  }

  static RawWebSocket handshake(String path, String httpVersion, String headers)
      throws IOException {
    return RawWebSocket.exchange(
        gateway(), RawWebSocket.request("GET", path, httpVersion, headers));
  }

  @ParameterizedTest
  @ValueSource(ints = {TEXT, BINARY})
  void anOversizedMessageIsRefusedAtItsHeaderBeforeThePayloadIsSent(int opcode) throws IOException {
    try (RawWebSocket raw = upgraded("/rooms/small/big")) {
      raw.send(ClientFrames.header(true, opcode, 2000));
      RawWebSocket.Frame close = raw.readUntilClose();
      assertThat(close.closeCode()).isEqualTo(1009);
      assertThat(close.text()).isEqualTo("Message larger than 1024 bytes");
      assertThat(raw.serverClosedConnection()).isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {TEXT, BINARY})
  void fragmentsAddingUpPastTheLimitAreRefusedAtTheHeaderThatCrossesIt(int opcode)
      throws IOException {
    try (RawWebSocket raw = upgraded("/rooms/small/fragments")) {
      raw.send(
          ClientFrames.frame(false, opcode, "a".repeat(1000).getBytes(StandardCharsets.UTF_8)));
      raw.send(ClientFrames.header(false, CONTINUATION, 100));
      assertThat(raw.readUntilClose().closeCode()).isEqualTo(1009);
      assertThat(raw.serverClosedConnection()).isTrue();
    }
  }

  @Test
  void aHugeDeclaredLengthIsRefusedAtTheHeader() throws IOException {
    try (RawWebSocket raw = upgraded("/rooms/small/huge")) {
      raw.send(ClientFrames.header(true, TEXT, 1L << 62));
      assertThat(raw.readUntilClose().closeCode()).isEqualTo(1009);
    }
  }

  @Test
  void aLengthWithItsTopBitSetIsAProtocolErrorAndTheSocketIsClosed() throws IOException {
    try (RawWebSocket raw = upgraded("/rooms/small/topbit")) {
      raw.send(ClientFrames.headerWithLongLength(BINARY, Long.MIN_VALUE));
      assertThat(raw.readUntilClose().closeCode()).isEqualTo(1002);
      assertThat(raw.serverClosedConnection()).isTrue();
    }
  }

  @Test
  void aLengthNotInItsShortestFormIsAProtocolError() throws IOException {
    try (RawWebSocket raw = upgraded("/rooms/small/nonminimal")) {
      raw.send(ClientFrames.withShortLengthForm(TEXT, "hi".getBytes(StandardCharsets.UTF_8)));
      assertThat(raw.readUntilClose().closeCode()).isEqualTo(1002);
      assertThat(raw.serverClosedConnection()).isTrue();
    }
  }

  @Test
  void anUnmaskedFrameIsAProtocolError() throws IOException {
    try (RawWebSocket raw = upgraded("/rooms/small/unmasked")) {
      raw.send(ClientFrames.custom(0x80 | TEXT, false, "hi".getBytes(StandardCharsets.UTF_8)));
      assertThat(raw.readUntilClose().closeCode()).isEqualTo(1002);
    }
  }

  /**
   * A burst far past what the client's 4 KiB window takes leaves the gateway in many partial,
   * gathered writes: every frame still arrives whole and in order, the close last, nothing after it.
   */
  @Test
  void aBurstWrittenInPartsArrivesWholeInOrderWithTheCloseLast() throws IOException {
    int count = 3000;
    int pad = 150;
    try (RawWebSocket raw = upgraded("/rooms/small/burst")) {
      raw.sendText(("count:" + count + ":" + pad).getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < count; i++) {
        RawWebSocket.Frame frame = raw.readFrame();
        assertThat(frame.opcode()).as("frame %d", i).isEqualTo(TEXT);
        assertThat(frame.text()).as("frame %d", i).isEqualTo(i + ":" + "z".repeat(pad));
      }
      RawWebSocket.Frame close = raw.readFrame();
      assertThat(close.closeCode()).isEqualTo(1000);
      assertThat(close.text()).isEqualTo("counted " + count);
    }
  }

  @Test
  void aPingIsAnsweredWithAPongOfTheSamePayload() throws IOException {
    try (RawWebSocket raw = upgraded("/rooms/small/ping")) {
      raw.sendFrame(ClientFrames.PING, "heartbeat".getBytes(StandardCharsets.UTF_8));
      RawWebSocket.Frame pong = raw.readFrame();
      assertThat(pong.opcode()).isEqualTo(ClientFrames.PONG);
      assertThat(pong.text()).isEqualTo("heartbeat");
    }
  }

  @Test
  void framesSentWithTheHandshakeAreRead() throws IOException {
    String head =
        RawWebSocket.request(
            "GET",
            "/rooms/small/eager",
            "HTTP/1.1",
            RawWebSocket.upgradeHeaders(RawWebSocket.randomKey(), "13"));
    byte[] frame = ClientFrames.frame(TEXT, "early".getBytes(StandardCharsets.UTF_8));
    byte[] both = new byte[head.length() + frame.length];
    System.arraycopy(head.getBytes(StandardCharsets.US_ASCII), 0, both, 0, head.length());
    System.arraycopy(frame, 0, both, head.length(), frame.length);
    try (RawWebSocket raw = RawWebSocket.exchange(gateway(), both)) {
      assertThat(raw.status()).isEqualTo(101);
      assertThat(raw.readFrame().text()).isEqualTo("echo:early");
    }
  }

  @Test
  void http10IsRefused() throws IOException {
    try (RawWebSocket raw =
        handshake(
            "/rooms/small/old",
            "HTTP/1.0",
            RawWebSocket.upgradeHeaders(RawWebSocket.randomKey(), "13"))) {
      assertThat(raw.status()).isEqualTo(400);
      assertThat(raw.body()).contains("HTTP/1.1 or later");
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "short",
        "dGhlIHNhbXBsZSBub25jZQ",
        "not//base64//at//all/!!",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAA"
      })
  void aMalformedKeyIsRefused(String key) throws IOException {
    try (RawWebSocket raw =
        handshake("/rooms/small/key", "HTTP/1.1", RawWebSocket.upgradeHeaders(key, "13"))) {
      assertThat(raw.status()).isEqualTo(400);
      assertThat(raw.body()).contains("Sec-WebSocket-Key");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"8", "12", "14", "13, 8"})
  void anotherVersionGets426NamingVersion13(String version) throws IOException {
    try (RawWebSocket raw =
        handshake(
            "/rooms/small/version",
            "HTTP/1.1",
            RawWebSocket.upgradeHeaders(RawWebSocket.randomKey(), version))) {
      assertThat(raw.status()).isEqualTo(426);
      assertThat(raw.header("Sec-WebSocket-Version")).isEqualTo("13");
    }
  }

  /** Nothing reads a request body: one that is declared and never sent must not hold the connection. */
  @ParameterizedTest
  @ValueSource(strings = {"Content-Length: 100000\r\n", "Transfer-Encoding: chunked\r\n"})
  void anUpgradeDeclaringABodyIsRefusedAndTheConnectionClosedWithoutWaitingForIt(String body)
      throws IOException {
    try (RawWebSocket raw =
        handshake(
            "/rooms/small/body",
            "HTTP/1.1",
            RawWebSocket.upgradeHeaders(RawWebSocket.randomKey(), "13") + body)) {
      assertThat(raw.status()).isEqualTo(400);
      raw.socket().setSoTimeout((int) TIMEOUT.multipliedBy(3).toMillis());
      assertThat(RawWebSocket.closedByServer(raw.socket())).isTrue();
    }
  }

  /** Plain HTTP into a room reads its body: one over the room's limit is refused before it is sent. */
  @Test
  void aPlainRequestDeclaringABodyOverTheLimitIsAnswered413AndClosed() throws IOException {
    try (RawWebSocket raw =
        RawWebSocket.exchange(
            gateway(),
            "POST /rooms/small/body HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100000\r\n\r\n")) {
      assertThat(raw.status()).isEqualTo(413);
      raw.socket().setSoTimeout((int) TIMEOUT.multipliedBy(3).toMillis());
      assertThat(RawWebSocket.closedByServer(raw.socket())).isTrue();
    }
  }

  /** One within the limit that stops coming holds the connection for the idle timeout, no longer. */
  @Test
  void aPlainRequestWhoseBodyStopsComingIsClosedAfterTheIdleTimeout() throws IOException {
    try (Socket socket = RawWebSocket.connect(gateway())) {
      socket.setSoTimeout((int) TIMEOUT.multipliedBy(5).toMillis());
      socket
          .getOutputStream()
          .write(
              "POST /rooms/small/a/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nsome"
                  .getBytes(StandardCharsets.US_ASCII));
      long started = System.nanoTime();

      int read = socket.getInputStream().read();

      assertThat(read).as("closed, with no answer").isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .isGreaterThanOrEqualTo(TIMEOUT.minusMillis(100))
          .isLessThan(TIMEOUT.multipliedBy(3));
    }
  }

  @Test
  void upgradeAndConnectionAreTokenLists() throws IOException {
    try (RawWebSocket raw =
        RawWebSocket.exchange(
            gateway(),
            "GET /rooms/small/tokens HTTP/1.1\r\nHost: localhost\r\n"
                + "Upgrade: foo, websocket\r\nConnection: keep-alive, Upgrade\r\nSec-WebSocket-Key: "
                + RawWebSocket.randomKey()
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n")) {
      assertThat(raw.status()).isEqualTo(101);
    }
  }

  /** RFC 6455 §11.3.5: the version header appears once; in either order a second one is refused. */
  @ParameterizedTest
  @ValueSource(strings = {"13", "8"})
  void aRepeatedVersionHeaderIsRefused(String second) throws IOException {
    String first = second.equals("13") ? "8" : "13";
    try (RawWebSocket raw =
        handshake(
            "/rooms/small/versions",
            "HTTP/1.1",
            RawWebSocket.upgradeHeaders(RawWebSocket.randomKey(), first)
                + "Sec-WebSocket-Version: "
                + second
                + "\r\n")) {
      assertThat(raw.status()).isEqualTo(426);
    }
  }

  /** Undertow strips path parameters: {@code x;p=1} must not be another name of instance {@code x}. */
  @ParameterizedTest
  @ValueSource(strings = {"/rooms/small/x;p=1", "/rooms/small;p=1/x", "/websocket;p=1"})
  void pathParametersAreNotPartOfARoute(String path) throws IOException {
    try (RawWebSocket raw = RawWebSocket.open(gateway(), "GET", path)) {
      assertThat(raw.status()).isEqualTo(404);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"/websocket/", "/", "/rooms", "//rooms/small/x"})
  void anUpgradeToAPathThatIsNoEndpointIs404(String path) throws IOException {
    try (RawWebSocket raw = RawWebSocket.open(gateway(), "GET", path)) {
      assertThat(raw.status()).isEqualTo(404);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/rooms/small/.",
        "/rooms/small/..",
        "/rooms/small/...",
        "/rooms/./x",
        "/rooms/../x"
      })
  void dotNamesAreNotRoomsOrInstances(String path) throws IOException {
    try (RawWebSocket raw = RawWebSocket.open(gateway(), "GET", path)) {
      assertThat(raw.status()).isEqualTo(404);
    }
  }

  @Test
  void aClientDribblingItsHeadersIsClosedAfterTheHandshakeTimeout() throws Exception {
    try (Socket socket = RawWebSocket.connect(gateway())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          "GET /rooms/small/slowloris HTTP/1.1\r\nHost: localhost\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      long started = System.nanoTime();
      Thread dribble =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < 100; i++) {
                    out.write(("X-" + i + ": y\r\n").getBytes(StandardCharsets.US_ASCII));
                    Thread.sleep(100);
                  }
                } catch (IOException | InterruptedException closed) {
                  // the server closed on us: what the test waits for
                }
              });
      dribble.start();
      assertThat(RawWebSocket.closedByServer(socket)).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TIMEOUT.multipliedBy(5));
      dribble.interrupt();
      dribble.join();
    }
  }

  @Test
  void halfHandshakesAndSilentConnectionsAreClosedAfterTheirTimeouts() throws Exception {
    List<Socket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < 50; i++) {
        Socket silent = RawWebSocket.connect(gateway());
        sockets.add(silent);
        Socket half = RawWebSocket.connect(gateway());
        half.getOutputStream()
            .write(
                "GET /rooms/small/half HTTP/1.1\r\nHost: local"
                    .getBytes(StandardCharsets.US_ASCII));
        sockets.add(half);
      }
      long started = System.nanoTime();
      for (Socket socket : sockets) {
        assertThat(RawWebSocket.closedByServer(socket)).isTrue();
      }
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TIMEOUT.multipliedBy(6));
    } finally {
      for (Socket socket : sockets) {
        socket.close();
      }
    }
  }

  @Test
  void anIdleWebSocketOutlivesTheHandshakeAndIdleTimeouts() {
    WsClient quiet = WsClient.connect(dormouse.ws("/rooms/small/quiet"));
    await()
        .during(TIMEOUT.multipliedBy(3))
        .atMost(TIMEOUT.multipliedBy(5))
        .until(() -> !quiet.isClosed());
    quiet.send("still here");
    assertThat(quiet.nextText()).isEqualTo("echo:still here");
  }

  /** The frames in one write: a client library would stop sending once it has read the close. */
  static RawWebSocket.Frame floodThenClose(String path, int count, String text) throws IOException {
    try (RawWebSocket raw = upgraded(path)) {
      byte[] frame = ClientFrames.frame(TEXT, text.getBytes(StandardCharsets.UTF_8));
      byte[] all = new byte[frame.length * count];
      for (int i = 0; i < count; i++) {
        System.arraycopy(frame, 0, all, i * frame.length, frame.length);
      }
      raw.send(all);
      return raw.readUntilClose();
    }
  }

  @Test
  void tooManyMessagesCloseWith1008AndAReason() throws IOException {
    RawWebSocket.Frame close = floodThenClose("/rooms/rated/messages", 40, "m");
    assertThat(close.closeCode()).isEqualTo(1008);
    assertThat(close.text()).isEqualTo("Rate limit: more than 10 messages per second");
  }

  @Test
  void tooManyBytesCloseWith1008AndAReason() throws IOException {
    RawWebSocket.Frame close = floodThenClose("/rooms/rated/bytes", 6, "b".repeat(1000));
    assertThat(close.closeCode()).isEqualTo(1008);
    assertThat(close.text()).isEqualTo("Rate limit: more than 2048 bytes per second");
  }

  @Test
  void autoResponsesCountTowardTheRateLimit() throws IOException {
    assertThat(floodThenClose("/rooms/rated/pings", 40, "ping").closeCode()).isEqualTo(1008);
  }

  @Test
  void aChattyClientUnderTheDefaultLimitsIsNeverClosed() throws Exception {
    WsClient ann = WsClient.connect(dormouse.ws("/rooms/chat/lively?name=ann"));
    ann.nextText();
    // Ten messages a second, far more than a person types, with a burst of 50 at the start.
    for (int i = 0; i < 50; i++) {
      ann.send("hello " + i);
    }
    for (int i = 50; i < 80; i++) {
      ann.send("hello " + i);
      Thread.sleep(100);
    }
    for (int i = 0; i < 80; i++) {
      assertThat(ann.nextText()).contains("hello " + i);
    }
    assertThat(ann.isClosed()).isFalse();
  }
}
