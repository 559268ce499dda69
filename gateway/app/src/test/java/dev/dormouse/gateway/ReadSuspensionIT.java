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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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

  /** Holds its first message until the test opens the gate: a room that has fallen behind. */
  public static class GatedRoom extends SequenceRoom {
    static final CountDownLatch GATE = new CountDownLatch(1);

    @Override
    public void onMessage(RoomSocket socket, Message message) {
      try {
        GATE.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      super.onMessage(socket, message);
    }
  }

  static final int MESSAGES = 20_000;
  static final String PADDING = "p".repeat(1000);
  static final String UNLIMITED =
      """
      limits:
        messagesPerSecond: 1000000
        messagesBurst: 1000000
        bytesPerSecond: 1073741824
        bytesBurst: 1073741824
      """;
  static LocalRunFixture dormouse;

  @BeforeAll
  static void start() throws IOException {
    dormouse =
        LocalRunFixture.start(
            LocalRunFixture.room("fast", SequenceRoom.class.getName(), UNLIMITED),
            LocalRunFixture.room("gated", GatedRoom.class.getName(), UNLIMITED));
  }

  @AfterAll
  static void stop() throws Exception {
    dormouse.close();
  }

  @Test
  void aSuspendedClientsWritesStallAndResumedEverythingArrivesInOrder() throws Exception {
    try (RawWebSocket raw =
        RawWebSocket.open(dormouse.run().gatewayAddress(), "GET", "/rooms/fast?name=pushed")) {
      assertThat(raw.status()).isEqualTo(101);
      raw.socket().setSendBufferSize(4096);
      ClientConnection connection =
          dormouse.run().connections().all().stream()
              .filter(c -> c.key().room().equals("fast"))
              .findFirst()
              .orElseThrow();
      connection.suspendReads();

      NumberedWriter writer = NumberedWriter.startUntilStalled(raw);

      connection.resumeReads();
      assertThat(raw.readFrame().text()).isEqualTo("in order " + MESSAGES);
      writer.finished();
    }
  }

  /**
   * A room that has fallen behind (it holds its first message) does not let one client fill the
   * gateway, the link and its mailbox: once a window of the client's messages waits unhandled the
   * gateway stops reading, the kernel's buffers fill and the client's writes block. Nothing is
   * refused and nothing lost: opened, the room gets every message in order.
   */
  @Test
  void aClientWhoseRoomFallsBehindIsPushedBackOverTcpAndLosesNothing() throws Exception {
    double suspensionsBefore = dormouse.run().metrics().readsSuspensions();
    try (RawWebSocket raw =
        RawWebSocket.open(dormouse.run().gatewayAddress(), "GET", "/rooms/gated?name=flood")) {
      assertThat(raw.status()).isEqualTo(101);
      raw.socket().setSendBufferSize(4096);
      NumberedWriter writer = NumberedWriter.startUntilStalled(raw);
      assertThat(dormouse.run().metrics().readsSuspensions()).isGreaterThan(suspensionsBefore);

      GatedRoom.GATE.countDown();
      assertThat(raw.readFrame().text()).isEqualTo("in order " + MESSAGES);
      writer.finished();
    }
  }

  /** Writes {@link #MESSAGES} numbered messages as fast as the socket takes them, on a thread of its own. */
  private static final class NumberedWriter {
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicReference<String> failed = new AtomicReference<>();
    private final Thread thread;

    private NumberedWriter(RawWebSocket raw) {
      thread =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < MESSAGES; i++) {
                    raw.send(
                        ClientFrames.frame(
                            ClientFrames.TEXT,
                            (i + ":" + PADDING).getBytes(StandardCharsets.UTF_8)));
                    sent.incrementAndGet();
                  }
                } catch (IOException e) {
                  failed.set("write failed: " + e);
                }
              });
    }

    /** Starts writing and returns once the kernel's buffers are full and the writes block, short of the end. */
    static NumberedWriter startUntilStalled(RawWebSocket raw) {
      NumberedWriter writer = new NumberedWriter(raw);
      writer.thread.start();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> writer.sent.get() > 0 && stalledFor(writer.sent, Duration.ofMillis(500)));
      assertThat(writer.sent.get()).isLessThan(MESSAGES);
      return writer;
    }

    void finished() throws InterruptedException {
      thread.join(Duration.ofSeconds(30).toMillis());
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
