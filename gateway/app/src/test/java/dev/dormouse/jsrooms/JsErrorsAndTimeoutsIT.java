package dev.dormouse.jsrooms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.RawWebSocket;
import dev.dormouse.testing.WsClient;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A handler that throws or rejects is logged with the JavaScript error and its file and line, counted
 * like a Java room's, and its instance reset: the client stays connected and the next message
 * constructs the class again. A handler that runs away past the room's eventTimeout is stopped (its
 * thread leaves the engine) and the room works again. A socket's protocol error reaches
 * webSocketError.
 */
class JsErrorsAndTimeoutsIT {

  static final String MODULE =
      JsRooms.IMPORT
          + """
          export class Fragile extends DurableObject {
            constructor(ctx, env) {
              super(ctx, env);
              this.handled = 0;
            }
          """
          + JsRooms.ACCEPT
          + """
            async webSocketMessage(ws, message) {
              this.handled++;
              if (message === "throw") {
                throw new RangeError("the room broke on purpose");
              }
              if (message === "reject") {
                await Promise.resolve();
                throw new TypeError("rejected on purpose");
              }
              if (message === "spin") {
                for (;;) {}
              }
              ws.send(`handled ${this.handled} in this instance`);
            }
            async webSocketError(ws, error) {
              this.ctx.getWebSockets().filter((s) => s !== ws).forEach((s) => s.send("webSocketError: " + error));
            }
          }
          """;

  static LocalRunFixture dormouse;
  OwnerLog log;

  @BeforeAll
  static void start() throws IOException {
    dormouse =
        JsRooms.start(
            "fragile",
            "fragile.js",
            "Fragile",
            MODULE,
            "instances: true\nlimits:\n  eventTimeout: 1s\nhibernation:\n  idleTimeout: 30s\n");
  }

  @AfterAll
  static void stop() throws IOException {
    dormouse.close();
  }

  @BeforeEach
  void captureLog() {
    log = OwnerLog.capture();
  }

  @AfterEach
  void releaseLog() {
    log.close();
  }

  /** The module's line (1-based) holding {@code text}. */
  static int lineOf(String text) {
    return (int) MODULE.substring(0, MODULE.indexOf(text)).chars().filter(c -> c == '\n').count()
        + 1;
  }

  static WsClient connect(String instance) {
    return WsClient.connect(dormouse.ws("/rooms/fragile/" + instance));
  }

  @Test
  void aThrowingHandlerIsLoggedWithItsLineAndItsInstanceReset() {
    WsClient client = connect("throwing");
    client.send("one");
    assertThat(client.nextText()).isEqualTo("handled 1 in this instance");
    double errors = dormouse.run().metrics().errors("handler");

    client.send("throw");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> dormouse.run().metrics().errors("handler") > errors);
    client.send("two");

    assertThat(client.nextText())
        .as("a new instance, the client still connected")
        .isEqualTo("handled 1 in this instance");
    assertThat(log.text())
        .contains("RangeError: the room broke on purpose")
        .contains("fragile.js:" + lineOf("throw new RangeError"));
  }

  @Test
  void aRejectedPromiseCountsAsAThrow() {
    WsClient client = connect("rejecting");
    double errors = dormouse.run().metrics().errors("handler");

    client.send("reject");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> dormouse.run().metrics().errors("handler") > errors);
    client.send("after");

    assertThat(client.nextText()).isEqualTo("handled 1 in this instance");
    assertThat(log.text())
        .contains("TypeError: rejected on purpose")
        .contains("fragile.js:" + lineOf("throw new TypeError"));
  }

  @Test
  void aRunawayLoopIsStoppedAtTheEventTimeoutAndTheRoomServesAgain() {
    WsClient spinning = connect("spinning");
    WsClient bystander = connect("bystander");
    double timeouts = dormouse.run().metrics().errors("timeout");

    spinning.send("spin");
    bystander.send("meanwhile");
    assertThat(bystander.nextText()).isEqualTo("handled 1 in this instance");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> dormouse.run().metrics().errors("timeout") > timeouts);
    spinning.send("after");

    assertThat(spinning.nextText()).isEqualTo("handled 1 in this instance");
    await()
        .alias("no thread is left running the loop")
        .atMost(Duration.ofSeconds(10))
        .until(() -> threadsInTheEngine() == 0);
  }

  @Test
  void aProtocolErrorReachesWebSocketError() throws IOException {
    WsClient watcher = connect("protocol");
    watcher.send("hello");
    assertThat(watcher.nextText()).isEqualTo("handled 1 in this instance");
    try (RawWebSocket raw =
        RawWebSocket.open(dormouse.run().gatewayAddress(), "GET", "/rooms/fragile/protocol")) {
      assertThat(raw.status()).isEqualTo(101);
      raw.sendText(new byte[] {(byte) 0xC3, (byte) 0x28});
      assertThat(raw.readUntilClose().closeCode()).isEqualTo(1007);
    }

    assertThat(watcher.nextText()).startsWith("webSocketError: ");
  }

  /** Threads inside a call into GraalJS: none once every event is over. */
  static long threadsInTheEngine() {
    return Thread.getAllStackTraces().values().stream()
        .filter(
            stack ->
                Arrays.stream(stack)
                    .anyMatch(frame -> frame.getClassName().startsWith("org.graalvm.polyglot.")))
        .count();
  }
}
