package dev.dormouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dormouse.gateway.EdgeSettings;
import dev.dormouse.testing.LocalRunFixture;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A client that declares a body and stops sending it holds its connection only for a bounded time. */
class HttpBodyTimeoutIT {

  private static final Duration IDLE = Duration.ofSeconds(1);
  private static LocalRunFixture dormouse;

  @BeforeAll
  static void start() throws IOException {
    dormouse =
        LocalRunFixture.start(
            new EdgeSettings(Duration.ofSeconds(10), IDLE, Duration.ofSeconds(5), 1000, 8192),
            LocalRunFixture.room("hp", "dev.dormouse.testing.HttpProbeRoom", "instances: true"));
  }

  @AfterAll
  static void stop() throws IOException {
    dormouse.close();
  }

  @Test
  void aBodyThatStopsComingClosesTheConnectionAfterTheIdleTimeout() throws IOException {
    try (Socket socket = new Socket("127.0.0.1", dormouse.run().gatewayAddress().getPort())) {
      socket.setSoTimeout((int) IDLE.multipliedBy(5).toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /rooms/hp/a/echo HTTP/1.1\r\nHost: test\r\nContent-Length: 100\r\n\r\nonly some")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      long started = System.nanoTime();
      InputStream in = socket.getInputStream();

      int read = in.read();

      assertThat(read).as("closed, with no answer").isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .isGreaterThanOrEqualTo(IDLE.minusMillis(100))
          .isLessThan(IDLE.multipliedBy(3));
    }
  }
}
