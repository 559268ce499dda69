package dev.dormouse;

import static dev.dormouse.testing.ClientFrames.BINARY;
import static dev.dormouse.testing.ClientFrames.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.gateway.EdgeSettings;
import dev.dormouse.testing.ClientFrames;
import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.OpenFiles;
import dev.dormouse.testing.RawWebSocket;
import dev.dormouse.testing.WsClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every way a connection can end releases it everywhere exactly once: after hundreds of abusive
 * connections, the room lists only who is really there, and the gateway's connection count and
 * the process's file descriptors are back where they were.
 */
class GhostConnectionsIT {

  static final Duration TIMEOUT = Duration.ofMillis(300);
  static final String PATH = "/rooms/small/ghosts";
  static final int EACH = 30;
  static LocalRunFixture dormouse;

  /** One way for a client to go, from connecting to leaving. */
  interface Abuse {
    void run(InetSocketAddress gateway) throws IOException;
  }

  static final List<Abuse> ABUSES =
      List.of(
          // an HTTP/1.0 upgrade, then a normal close
          gateway -> {
            try (RawWebSocket raw =
                RawWebSocket.exchange(
                    gateway,
                    RawWebSocket.request(
                        "GET",
                        PATH,
                        "HTTP/1.0",
                        RawWebSocket.upgradeHeaders(RawWebSocket.randomKey(), "13")))) {
              assertThat(raw.status()).isEqualTo(400);
            }
          },
          // a length with its top bit set, then the client waits for the server to close
          gateway -> {
            try (RawWebSocket raw = upgraded(gateway)) {
              raw.send(ClientFrames.headerWithLongLength(BINARY, Long.MIN_VALUE));
              assertThat(raw.serverClosedConnection()).isTrue();
            }
          },
          // the same, but the client leaves at once
          gateway -> {
            try (RawWebSocket raw = upgraded(gateway)) {
              raw.send(ClientFrames.headerWithLongLength(TEXT, -1));
            }
          },
          // an oversized header, then a reset
          gateway -> {
            try (RawWebSocket raw = upgraded(gateway)) {
              raw.send(ClientFrames.header(true, TEXT, 1L << 62));
              raw.socket().setSoLinger(true, 0);
            }
          },
          // upgraded, then reset
          gateway -> {
            try (RawWebSocket raw = upgraded(gateway)) {
              raw.socket().setSoLinger(true, 0);
            }
          },
          // upgraded, then TCP closed without a close frame
          gateway -> upgraded(gateway).close(),
          // a clean closing handshake
          gateway -> {
            try (RawWebSocket raw = upgraded(gateway)) {
              raw.sendFrame(ClientFrames.CLOSE, ClientFrames.closePayload(1000, new byte[0]));
              assertThat(raw.readUntilClose().closeCode()).isEqualTo(1000);
            }
          },
          // a handshake never finished, abandoned by the client
          gateway -> {
            try (Socket half = RawWebSocket.connect(gateway)) {
              half.getOutputStream()
                  .write(
                      ("GET " + PATH + " HTTP/1.1\r\nHost: x").getBytes(StandardCharsets.US_ASCII));
            }
          },
          // a handshake never finished, ended by the handshake timeout
          gateway -> {
            try (Socket half = RawWebSocket.connect(gateway)) {
              half.getOutputStream()
                  .write(
                      ("GET " + PATH + " HTTP/1.1\r\nHost: x").getBytes(StandardCharsets.US_ASCII));
              assertThat(RawWebSocket.closedByServer(half)).isTrue();
            }
          },
          // a bad version, then a normal close
          gateway -> {
            try (RawWebSocket raw =
                RawWebSocket.exchange(
                    gateway,
                    RawWebSocket.request(
                        "GET",
                        PATH,
                        "HTTP/1.1",
                        RawWebSocket.upgradeHeaders(RawWebSocket.randomKey(), "8")))) {
              assertThat(raw.status()).isEqualTo(426);
            }
          });

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
            """));
  }

  @AfterAll
  static void stop() throws Exception {
    dormouse.close();
  }

  static RawWebSocket upgraded(InetSocketAddress gateway) throws IOException {
    RawWebSocket raw = RawWebSocket.open(gateway, "GET", PATH);
    assertThat(raw.status()).isEqualTo(101);
    return raw;
  }

  static void abuse(int times) throws IOException {
    for (int i = 0; i < times; i++) {
      for (Abuse abuse : ABUSES) {
        abuse.run(dormouse.run().gatewayAddress());
      }
    }
  }

  /** The sockets the room itself sees, by asking it. */
  static String roomSees(WsClient probe) {
    probe.send("who");
    return probe.nextText();
  }

  @Test
  void hundredsOfAbusiveConnectionsLeaveNothingBehind() throws IOException {
    WsClient probe = WsClient.connect(dormouse.ws(PATH + "?name=probe"));
    abuse(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> roomSees(probe).equals("who probe[]"));
    int connections = dormouse.run().connections().size();
    long descriptors = OpenFiles.count();

    abuse(EACH);

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(roomSees(probe)).as("the room's sockets").isEqualTo("who probe[]");
              assertThat(dormouse.run().connections().size())
                  .as("the gateway's connections")
                  .isEqualTo(connections);
              assertThat(OpenFiles.count()).as("open descriptors").isLessThanOrEqualTo(descriptors);
            });
    probe.send("still served");
    assertThat(probe.nextText()).isEqualTo("echo:still served");
  }
}
