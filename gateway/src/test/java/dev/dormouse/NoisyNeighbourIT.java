package dev.dormouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dormouse.testing.ClientFrames;
import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.RawWebSocket;
import dev.dormouse.testing.WsClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One heavy, abusive room must not slow an unrelated room down: while a chat room broadcasts
 * 500 KB messages into members that never read, and abusive sockets come and go, a client of the
 * echo room still gets its answers within 100 ms at p99 (what the issue asks; found at 5 s).
 */
class NoisyNeighbourIT {

  static final int PINGS = 200;
  static final int DEAF_MEMBERS = 20;
  static LocalRunFixture dormouse;

  @BeforeAll
  static void start() throws IOException {
    dormouse = LocalRunFixture.start(
        LocalRunFixture.room("heavy", "chat", """
            limits:
              bytesPerSecond: 67108864
              bytesBurst: 67108864
            """),
        LocalRunFixture.room("quiet", "echo", ""));
  }

  @AfterAll
  static void stop() throws Exception {
    dormouse.close();
  }

  @Test
  void anEchoClientIsAnsweredPromptlyWhileAnotherRoomIsFloodedAndAbused() throws Exception {
    List<RawWebSocket> deaf = new ArrayList<>();
    for (int i = 0; i < DEAF_MEMBERS; i++) {
      deaf.add(RawWebSocket.open(dormouse.run().gatewayAddress(), "GET", "/rooms/heavy"));
    }
    WsClient loud = WsClient.connect(dormouse.ws("/rooms/heavy"));
    WsClient quiet = WsClient.connect(dormouse.ws("/rooms/quiet"));
    quiet.send("warm-up");
    assertThat(quiet.nextText()).isEqualTo("warm-up");

    AtomicBoolean noisy = new AtomicBoolean(true);
    Thread noise = new Thread(() -> makeNoise(loud, noisy));
    noise.start();
    long[] roundTrips = new long[PINGS];
    try {
      for (int i = 0; i < PINGS; i++) {
        long sent = System.nanoTime();
        quiet.send("ping " + i);
        assertThat(quiet.nextText()).isEqualTo("ping " + i);
        roundTrips[i] = System.nanoTime() - sent;
      }
    } finally {
      noisy.set(false);
      noise.join();
      for (RawWebSocket socket : deaf) {
        socket.close();
      }
    }
    Arrays.sort(roundTrips);
    long p99Millis = roundTrips[(int) Math.ceil(PINGS * 0.99) - 1] / 1_000_000;
    assertThat(p99Millis).as("p99 round trip of the quiet room, ms (max %d ms)", roundTrips[PINGS - 1] / 1_000_000)
        .isLessThanOrEqualTo(100);
  }

  /** 500 KB broadcasts into deaf members, and sockets that break the protocol or leave abruptly. */
  private static void makeNoise(WsClient loud, AtomicBoolean noisy) {
    String big = "x".repeat(500_000);
    while (noisy.get()) {
      loud.send(big);
      try (RawWebSocket abusive = RawWebSocket.open(dormouse.run().gatewayAddress(), "GET", "/rooms/heavy")) {
        abusive.send(ClientFrames.headerWithLongLength(ClientFrames.BINARY, Long.MIN_VALUE));
      } catch (IOException e) {
        // The gateway closing on the bad frame is part of the noise.
      }
      try (RawWebSocket leaver = RawWebSocket.open(dormouse.run().gatewayAddress(), "GET", "/rooms/heavy")) {
        leaver.socket().setSoLinger(true, 0);
      } catch (IOException e) {
        // An abrupt reset is the point.
      }
    }
  }
}
