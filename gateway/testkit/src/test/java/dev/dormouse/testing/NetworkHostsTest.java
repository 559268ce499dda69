package dev.dormouse.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two hosts, a Redis on one: the other host and this JVM reach it; a cut silences only the link it
 * cuts, loss and delay are what they say, and closing leaves nothing behind.
 */
class NetworkHostsTest {

  static final int TIMEOUT_STATUS = 124;

  NetworkHosts network;
  NetworkHosts.Host client;
  NetworkHosts.Host server;

  @BeforeAll
  static void needsRootAndIptables() {
    assumeTrue(
        NetworkHosts.unavailable().isEmpty(),
        () -> "skipped: " + NetworkHosts.unavailable().orElseThrow());
  }

  @BeforeEach
  void start() throws Exception {
    network = NetworkHosts.create("client", "server");
    client = network.host("client");
    server = network.host("server");
    RedisProcess.start(server);
  }

  @AfterEach
  void stop() {
    network.close();
  }

  /** PING from the client host, over bash's /dev/tcp, within a second. */
  String pingFromClientHost() {
    return client.run(
        "timeout",
        "1",
        "bash",
        "-c",
        "exec 3<>/dev/tcp/"
            + server.address()
            + "/6379 && printf 'PING\\r\\n' >&3 && head -c 5 <&3");
  }

  /** PING from this JVM; returns the round trip. */
  Duration pingFromHere(Duration timeout) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(
          new InetSocketAddress(server.address(), RedisProcess.PORT), (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      long sent = System.nanoTime();
      socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      assertThat(new String(in.readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("+PONG");
      return Duration.ofNanos(System.nanoTime() - sent);
    }
  }

  @Test
  void aCutSilencesTheLinkBetweenTwoHostsOnlyUntilItHeals() throws Exception {
    assertThat(pingFromClientHost()).isEqualTo("+PONG");

    network.cut(client, server);
    assertThatThrownBy(this::pingFromClientHost)
        .as("silence, not a refusal")
        .hasMessageContaining("exited with " + TIMEOUT_STATUS);
    assertThat(pingFromHere(Duration.ofSeconds(1))).isLessThan(Duration.ofSeconds(1));

    network.heal(client, server);
    assertThat(pingFromClientHost()).isEqualTo("+PONG");
  }

  @Test
  void lossDropsThatShareOfPacketsUntilStopped() throws Exception {
    network.lose(1.0);
    assertThatThrownBy(() -> pingFromHere(Duration.ofMillis(500)))
        .isInstanceOf(SocketTimeoutException.class);

    network.stopLoss();
    pingFromHere(Duration.ofSeconds(1));
  }

  @Test
  void aDelayedPortAnswersARoundTripTwoDelaysLater() throws Exception {
    Duration direct = pingFromHere(Duration.ofSeconds(1));

    network.delay(server, RedisProcess.PORT, Duration.ofMillis(150));
    Duration delayed = pingFromHere(Duration.ofSeconds(2));
    assertThat(delayed)
        .isBetween(Duration.ofMillis(300), Duration.ofMillis(300).plus(direct).plusMillis(200));
  }

  @Test
  void aRunStartingDeletesTheNamespacesOfARunWhoseJvmIsGone() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    String leftover = "dmn" + gone.pid() + "x1-left";
    NetworkHosts.run(List.of("ip", "netns", "add", leftover));

    NetworkHosts.create("next").close();
    assertThat(NetworkHosts.run(List.of("ip", "netns", "list"))).doesNotContain(leftover);
  }

  @Test
  void closingDeletesTheNamespacesAndTheLinkToThem() {
    String namespace = server.namespace();
    network.close();
    assertThat(NetworkHosts.run(List.of("ip", "netns", "list"))).doesNotContain(namespace);
    assertThat(NetworkHosts.run(List.of("ip", "-o", "link", "show")))
        .doesNotContain(server.namespace().replace("-server", "") + ":");
  }
}
