package dev.dormouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.room.Message;
import dev.dormouse.room.Room;
import dev.dormouse.room.RoomSocket;
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

  /** Checks the numbered messages arrive in order and answers once, so only the upload is large. */
  public static class SequenceRoom implements Room {
    private int expected;

    @Override
    public void onMessage(RoomSocket socket, Message message) {
      int number = Integer.parseInt(message.text().substring(0, message.text().indexOf(':')));
      if (number != expected) {
        socket.send("out of order: " + number + " after " + (expected - 1));
      }
      expected = number + 1;
      if (expected == MESSAGES) {
        socket.send("in order " + MESSAGES);
      }
    }
  }

  static final int MESSAGES = 20_000;
  static final String PADDING = "p".repeat(1000);
  static LocalRunFixture dormouse;

  @BeforeAll
  static void start() throws IOException {
    dormouse = LocalRunFixture.start(LocalRunFixture.room("fast", SequenceRoom.class.getName(), """
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
      AtomicReference<String> failed = new AtomicReference<>();
      Thread writer = new Thread(() -> {
        try {
          for (int i = 0; i < MESSAGES; i++) {
            raw.send(ClientFrames.frame(ClientFrames.TEXT, (i + ":" + PADDING).getBytes(StandardCharsets.UTF_8)));
            sent.incrementAndGet();
          }
        } catch (IOException e) {
          failed.set("write failed: " + e);
        }
      });
      writer.start();

      // The kernel's buffers fill, then the client's writes block: nothing gets through.
      await().atMost(Duration.ofSeconds(20)).until(() -> sent.get() > 0 && stalledFor(sent, Duration.ofMillis(500)));
      assertThat(sent.get()).isLessThan(MESSAGES);

      connection.resumeReads();
      assertThat(raw.readFrame().text()).isEqualTo("in order " + MESSAGES);
      writer.join(Duration.ofSeconds(30).toMillis());
      assertThat(failed.get()).isNull();
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
