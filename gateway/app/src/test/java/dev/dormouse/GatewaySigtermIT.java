package dev.dormouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dormouse.testing.ClusterFixture;
import dev.dormouse.testing.FreePorts;
import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.ManagedProcess;
import dev.dormouse.testing.RawWebSocket;
import dev.dormouse.testing.WsClient;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A gateway process stopped with SIGTERM finishes within its drain timeout whatever its connections
 * are doing (found from outside: not within 15 s with abusive connections open): clients that never
 * read and never answer the close, half handshakes, silent TCP connections.
 */
class GatewaySigtermIT {

  static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(3);

  /** A JVM's own exit and the test's polling. */
  static final Duration SLACK = Duration.ofSeconds(4);

  static final int EACH = 10;
  ClusterFixture cluster;

  @BeforeEach
  void start() throws Exception {
    cluster = ClusterFixture.start(LocalRunFixture.room("echo", "echo", ""));
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  @Test
  void sigtermEndsTheGatewayWithinItsDrainTimeoutWhateverItsConnectionsDo() throws Exception {
    int linkPort = FreePorts.any();
    cluster.ownerProcess("o1", linkPort);
    int port = FreePorts.any();
    ManagedProcess gateway =
        cluster.gatewayProcess(
            "gw",
            port,
            "o1=127.0.0.1:" + linkPort,
            Map.of("DORMOUSE_DRAIN_TIMEOUT", DRAIN_TIMEOUT.toMillis() + "ms"));
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
    List<AutoCloseable> abusive = new ArrayList<>();
    for (int i = 0; i < EACH; i++) {
      // Never reads, so never sees the 1001 and never answers it.
      abusive.add(RawWebSocket.open(address, "GET", "/rooms/echo"));
      Socket half = RawWebSocket.connect(address);
      OutputStream out = half.getOutputStream();
      out.write(
          "GET /rooms/echo HTTP/1.1\r\nHost: dormouse\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      abusive.add(half);
      abusive.add(RawWebSocket.connect(address));
    }
    WsClient polite = WsClient.connect(ClusterFixture.ws(address, "/rooms/echo"));
    polite.send("hello");
    assertThat(polite.nextText()).isEqualTo("hello");

    long signalled = System.nanoTime();
    gateway.sigterm();

    assertThat(polite.awaitClose().code()).isEqualTo(1001);
    assertThat(gateway.waitFor(DRAIN_TIMEOUT.plus(SLACK)))
        .as("exited within the drain timeout")
        .isTrue();
    System.out.println(
        "gateway exited "
            + Duration.ofNanos(System.nanoTime() - signalled).toMillis()
            + " ms after SIGTERM");
    assertThat(gateway.exitValue()).isZero();
    for (AutoCloseable socket : abusive) {
      socket.close();
    }
  }
}
