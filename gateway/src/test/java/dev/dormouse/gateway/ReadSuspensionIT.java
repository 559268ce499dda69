package dev.dormouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.testing.ClientFrames;
import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.RawWebSocket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A connection whose reads are suspended pushes back on its client over TCP, and loses nothing. */
class ReadSuspensionIT {

  static final int MESSAGES = 20_000;
  static final String PADDING = "p".repeat(1000);
  static LocalRunFixture dormouse;

  @BeforeAll
  static void start() throws IOException {
    dormouse = LocalRunFixture.start(LocalRunFixture.room("fast", "dev.dormouse.testing.ProbeRoom", """
        limits:
          messagesPerSecond: 1000000
          messagesBurst: 1000000
          bytesPerSecond: 1073741824
          bytesBurst: 1073741824
        """));
  }

  @AfterAll
  static void stop() throws Exception {
    dormouse.close();
  }

  @Test
  void aSuspendedClientsWritesStallAndResumedEverythingArrivesInOrder() throws Exception {
    try (RawWebSocket raw = RawWebSocket.open(dormouse.run().gatewayAddress(), "GET", "/rooms/fast?name=pushed")) {
      assertThat(raw.status()).isEqualTo(101);
      raw.socket().setSendBufferSize(4096);
      ClientConnection connection = dormouse.run().connections().all().get(0);
      connection.suspendReads();

      AtomicInteger sent = new AtomicInteger();
      AtomicInteger echoed = new AtomicInteger();
      AtomicReference<String> outOfOrder = new AtomicReference<>();
      Thread writer = new Thread(() -> {
        try {
          for (int i = 0; i < MESSAGES; i++) {
            raw.send(ClientFrames.frame(ClientFrames.TEXT, (i + ":" + PADDING).getBytes(StandardCharsets.UTF_8)));
            sent.incrementAndGet();
          }
        } catch (IOException e) {
          outOfOrder.compareAndSet(null, "write failed: " + e);
        }
      });
      Thread reader = new Thread(() -> {
        try {
          for (int i = 0; i < MESSAGES; i++) {
            String text = raw.readFrame().text();
            if (!text.equals("echo:" + i + ":" + PADDING)) {
              outOfOrder.compareAndSet(null, "echo " + i + " was " + text.substring(0, 20));
            }
            echoed.incrementAndGet();
          }
        } catch (IOException e) {
          outOfOrder.compareAndSet(null, "read failed: " + e);
        }
      });
      writer.start();
      reader.start();

      // The kernel's buffers fill, then the client's writes block: nothing gets through.
      await().atMost(Duration.ofSeconds(20)).until(() -> sent.get() > 0 && stalledFor(sent, Duration.ofMillis(500)));
      assertThat(sent.get()).isLessThan(MESSAGES);
      assertThat(echoed.get()).as("the room got nothing while reads were suspended").isZero();

      connection.resumeReads();
      writer.join(Duration.ofSeconds(60).toMillis());
      reader.join(Duration.ofSeconds(60).toMillis());
      assertThat(outOfOrder.get()).isNull();
      assertThat(echoed.get()).isEqualTo(MESSAGES);
    }
  }

  /** Whether the count stays put for that long (the writer is blocked in the kernel). */
  static boolean stalledFor(AtomicInteger count, Duration quiet) {
    int at = count.get();
    try {
      await().during(quiet).atMost(quiet.multipliedBy(2)).until(() -> count.get() == at);
      return true;
    } catch (org.awaitility.core.ConditionTimeoutException moved) {
      return false;
    }
  }
}
