package dev.dormouse.jsrooms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.WsClient;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(a, b))}, {@code
 * getWebSocketAutoResponse()} and {@code getWebSocketAutoResponseTimestamp(ws)}: the pair set in
 * the constructor is answered by the gateway while the instance is out of memory, without waking
 * it, and the room learns afterwards when each socket was last answered.
 */
class JsAutoResponseIT {

  static final String MODULE =
      JsRooms.IMPORT
          + """
          export class Auto extends DurableObject {
            constructor(ctx, env) {
              super(ctx, env);
              // As the seed does, except in instance "manual", whose pair is set by its messages only.
              if (this.ctx.id.name !== "manual") {
                this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
              }
            }
          """
          + JsRooms.ACCEPT
          + """
            async webSocketMessage(ws, message) {
              if (message === "pair") {
                const pair = this.ctx.getWebSocketAutoResponse();
                ws.send(`${pair.request} -> ${pair.response}`);
              } else if (message === "when") {
                const at = this.ctx.getWebSocketAutoResponseTimestamp(ws);
                ws.send(at === null ? "never" : (at instanceof Date) + " " + at.getTime());
              } else if (message === "on") {
                this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
                ws.send("on");
              } else if (message === "off") {
                this.ctx.setWebSocketAutoResponse();
                ws.send(String(this.ctx.getWebSocketAutoResponse()));
              } else {
                ws.send("room: " + message);
              }
            }
          }
          """;

  static LocalRunFixture dormouse;

  @BeforeAll
  static void start() throws IOException {
    dormouse =
        JsRooms.start(
            "auto",
            "auto.js",
            "Auto",
            MODULE,
            "instances: true\nhibernation:\n  idleTimeout: 500ms\n");
  }

  @AfterAll
  static void stop() throws IOException {
    dormouse.close();
  }

  @Test
  void pingIsAnsweredWithoutWakingTheHibernatedInstance() {
    WsClient client = WsClient.connect(dormouse.ws("/rooms/auto/asleep"));
    client.send("hello");
    assertThat(client.nextText()).isEqualTo("room: hello");
    JsRooms.awaitEviction(dormouse);
    double revivals = dormouse.run().metrics().revivals();
    double answered = dormouse.run().metrics().autoResponses();

    client.send("ping");

    assertThat(client.nextText()).isEqualTo("pong");
    assertThat(dormouse.run().metrics().autoResponses()).isEqualTo(answered + 1);
    assertThat(dormouse.run().metrics().revivals()).as("nothing woke the room").isEqualTo(revivals);
    assertThat(dormouse.run().runtime().activeInstances()).isZero();
  }

  @Test
  void theRoomReadsWhenASocketWasLastAnsweredEvenWhileItSlept() {
    WsClient client = WsClient.connect(dormouse.ws("/rooms/auto/timed"));
    client.send("when");
    assertThat(client.nextText()).isEqualTo("never");
    JsRooms.awaitEviction(dormouse);

    long before = System.currentTimeMillis();
    client.send("ping");
    assertThat(client.nextText()).isEqualTo("pong");
    long after = System.currentTimeMillis();
    client.send("when");

    String[] answer = client.nextText().split(" ");
    assertThat(answer[0]).as("a Date").isEqualTo("true");
    // Millisecond clocks: the gateway's moment lies within the client's, rounded down.
    assertThat(Long.parseLong(answer[1])).isBetween(before - 1, after);
  }

  @Test
  void theRoomSetsReadsAndRemovesThePair() {
    WsClient client = WsClient.connect(dormouse.ws("/rooms/auto/manual"));
    client.send("ping");
    assertThat(client.nextText()).as("no pair yet").isEqualTo("room: ping");
    client.send("on");
    assertThat(client.nextText()).isEqualTo("on");
    client.send("ping");
    assertThat(client.nextText()).isEqualTo("pong");
    client.send("pair");
    assertThat(client.nextText()).isEqualTo("ping -> pong");

    client.send("off");
    assertThat(client.nextText()).isEqualTo("null");
    client.send("ping");

    assertThat(client.nextText()).as("the room itself hears ping now").isEqualTo("room: ping");
  }
}
