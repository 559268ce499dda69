package dev.dormouse.jsrooms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.WsClient;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code ctx.acceptWebSocket(ws, tags)}, {@code ctx.getWebSockets(tag?)}, {@code ctx.getTags(ws)},
 * {@code ws.send} of text and bytes, {@code ws.close} and {@code webSocketClose}, as the Durable
 * Object API has them, before and after the instance was evicted.
 */
class JsSocketsAndTagsIT {

  static final String MODULE =
      JsRooms.IMPORT
          + """
          export class Sockets extends DurableObject {
          """
          + JsRooms.ACCEPT
          + """
            async webSocketMessage(ws, message) {
              if (message instanceof ArrayBuffer) {
                ws.send(message); // bytes come back as they came
                return;
              }
              const [command, tag] = message.split(" ");
              const found = this.ctx.getWebSockets(tag);
              switch (command) {
                case "tags": ws.send(JSON.stringify(this.ctx.getTags(ws))); break;
                case "count": ws.send(String(found.length)); break;
                case "tell": found.forEach((s) => s.send("to " + tag)); ws.send("told " + found.length); break;
                case "close": found.forEach((s) => s.close(4001, "closed by tag " + tag)); break;
                case "me": ws.send(String(this.ctx.getWebSockets().includes(ws))); break;
                case "typed": ws.send(new Uint16Array([0x0201, 0x0403]).subarray(1)); break;
                default: ws.send("?");
              }
            }
            async webSocketClose(ws, code, reason, wasClean) {
              const others = this.ctx.getWebSockets().filter((s) => s !== ws);
              others.forEach((s) => s.send(`closed ${code} ${reason} ${wasClean}`));
            }
          }
          """;

  static LocalRunFixture dormouse;

  @BeforeAll
  static void start() throws IOException {
    dormouse =
        JsRooms.start(
            "sockets",
            "sockets.js",
            "Sockets",
            MODULE,
            "instances: true\nhibernation:\n  idleTimeout: 500ms\n");
  }

  @AfterAll
  static void stop() throws IOException {
    dormouse.close();
  }

  static WsClient connect(String instance, String query) {
    return WsClient.connect(dormouse.ws("/rooms/sockets/" + instance + query));
  }

  @Test
  void socketsAreFoundByTheirTagsBeforeAndAfterEviction() {
    WsClient both = connect("tags", "?tag=red&tag=blue");
    WsClient red = connect("tags", "?tag=red");
    WsClient plain = connect("tags", "");

    both.send("tags");
    assertThat(both.nextText()).isEqualTo("[\"red\",\"blue\"]");
    plain.send("tags");
    assertThat(plain.nextText()).isEqualTo("[]");
    plain.send("count red");
    assertThat(plain.nextText()).isEqualTo("2");
    plain.send("count blue");
    assertThat(plain.nextText()).isEqualTo("1");
    plain.send("count");
    assertThat(plain.nextText()).as("no tag: every socket").isEqualTo("3");
    plain.send("count green");
    assertThat(plain.nextText()).isEqualTo("0");

    JsRooms.awaitEviction(dormouse);
    plain.send("tell red");

    assertThat(plain.nextText()).isEqualTo("told 2");
    assertThat(both.nextText()).isEqualTo("to red");
    assertThat(red.nextText()).isEqualTo("to red");
    both.send("tags");
    assertThat(both.nextText()).as("tags survive hibernation").isEqualTo("[\"red\",\"blue\"]");
  }

  @Test
  void theSocketOfAnEventIsTheSameObjectThatGetWebSocketsLists() {
    WsClient client = connect("identity", "");
    client.send("me");
    assertThat(client.nextText()).isEqualTo("true");
    JsRooms.awaitEviction(dormouse);
    client.send("me");
    assertThat(client.nextText()).as("after the class was constructed again").isEqualTo("true");
  }

  @Test
  void bytesGoBothWaysAsArrayBuffersAndViews() {
    WsClient client = connect("bytes", "");
    client.send(new byte[] {0, 1, (byte) 0x80, (byte) 0xff});
    assertThat(client.nextBinary()).containsExactly(0, 1, 0x80, 0xff);
    client.send("typed");
    // A view sends its own bytes only: the second element of a little-endian Uint16Array.
    assertThat(client.nextBinary()).containsExactly(3, 4);
  }

  @Test
  void theRoomClosesSocketsByTagWithItsCodeAndReason() {
    WsClient doomed = connect("closing", "?tag=doomed");
    WsClient alsoDoomed = connect("closing", "?tag=doomed");
    WsClient survivor = connect("closing", "");

    survivor.send("close doomed");

    assertThat(doomed.awaitClose()).isEqualTo(new WsClient.Close(4001, "closed by tag doomed"));
    assertThat(alsoDoomed.awaitClose()).isEqualTo(new WsClient.Close(4001, "closed by tag doomed"));
    survivor.send("count");
    assertThat(survivor.nextText()).isEqualTo("1");
  }

  @Test
  void aClientsCloseReachesWebSocketClose() {
    WsClient leaving = connect("leaving", "");
    WsClient staying = connect("leaving", "");
    staying.send("count");
    assertThat(staying.nextText()).isEqualTo("2");

    leaving.close(4321, "see you");

    assertThat(staying.nextText()).isEqualTo("closed 4321 see you true");
  }
}
