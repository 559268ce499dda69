package dev.dormouse.js;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a client sees of a handler's frames: every frame, in the order the room sent it, text,
 * binary and closes mixed, to several sockets, also when the handler throws after sending.
 */
class FrameOrderTest {

  static final String ROOM =
      """
      export class Room {
        constructor(ctx) { this.ctx = ctx; }
        fetch() {
          const [client, server] = Object.values(new WebSocketPair());
          this.ctx.acceptWebSocket(server);
          return new Response(null, { status: 101, webSocket: client });
        }
        webSocketMessage(ws, message) {
          const [a, b] = this.ctx.getWebSockets();
          if (message === "many") {
            for (let i = 0; i < 700; i++) {
              a.send("a" + i);
              if (i === 100) a.send(new Uint8Array([i]));
              if (i === 300) b.send("to b");
              if (i === 301) b.close(4000, "enough");
            }
            return;
          }
          if (message === "then-throw") {
            a.send("before");
            b.send("also before");
            throw new Error("after sending");
          }
        }
      }
      """;

  @TempDir Path lib;

  /** What both sockets were sent, in order, after they joined. */
  final List<String> transcript = new CopyOnWriteArrayList<>();

  final FakeSocket a = new FakeSocket("a", transcript);
  final FakeSocket b = new FakeSocket("b", transcript);

  /** The room with a and b joined. */
  RoomDriver joined() throws Exception {
    RoomDriver driver = RoomDriver.of(lib, ROOM);
    driver.connect(a);
    driver.connect(b);
    transcript.clear();
    return driver;
  }

  @Test
  void everyFrameArrivesInTheOrderSentAcrossTextBinaryFramesAndCloses() throws Exception {
    try (RoomDriver driver = joined()) {
      driver.send(a, "many");
    }
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 700; i++) {
      expected.add("a <- a" + i);
      if (i == 100) {
        expected.add("a <- bytes:64");
      }
      if (i == 300) {
        expected.add("b <- to b");
      }
      if (i == 301) {
        expected.add("b closed 4000 \"enough\"");
      }
    }
    assertThat(transcript).containsExactlyElementsOf(expected);
  }

  @Test
  void framesSentBeforeAThrowAreDeliveredAndTheEventStillFails() throws Exception {
    try (RoomDriver driver = joined()) {
      assertThatThrownBy(() -> driver.send(b, "then-throw"))
          .isInstanceOf(JsHandlerException.class)
          .hasMessageContaining("after sending");
    }
    assertThat(transcript).containsExactly("a <- before", "b <- also before");
  }
}
