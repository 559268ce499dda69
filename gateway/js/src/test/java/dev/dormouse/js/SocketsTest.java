package dev.dormouse.js;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dormouse.room.ConnectDecision;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sockets and tags as a Durable Object sees them: the upgrade's fetch accepts (with tags) or refuses,
 * getWebSockets and getTags, one WebSocket object per connection, send of text and binary, close,
 * and the close and error handlers.
 */
class SocketsTest {

  static final String ROOM =
      """
      import { DurableObject } from "cloudflare:workers";
      export class Room extends DurableObject {
        async fetch(request) {
          const url = new URL(request.url);
          const pair = new WebSocketPair();
          const [client, server] = Object.values(pair);
          switch (url.pathname) {
            case "/refuse": return new Response("no room for you", { status: 403 });
            case "/ok": return new Response("fine");
            case "/unaccepted": return new Response(null, { status: 101, webSocket: client });
            case "/wrong-end":
              this.ctx.acceptWebSocket(server);
              return new Response(null, { status: 101, webSocket: server });
          }
          this.ctx.acceptWebSocket(server, url.searchParams.getAll("tag"));
          server.serializeAttachment({ joined: url.searchParams.get("name") });
          this.duringFetch ??= new Map();
          this.duringFetch.set(server, [this.ctx.getTags(server), this.ctx.getWebSockets().includes(server)]);
          return new Response(null, { status: 101, webSocket: client });
        }
        async webSocketMessage(ws, message) {
          const space = message.indexOf(" ");
          const verb = space < 0 ? message : message.slice(0, space);
          const arg = message.slice(space + 1);
          switch (verb) {
            case "tags": return ws.send(JSON.stringify(this.ctx.getTags(ws)));
            case "count": return ws.send(String(this.ctx.getWebSockets(arg).length));
            case "all": return ws.send(this.ctx.getWebSockets().map((s) => s.deserializeAttachment().joined).join());
            case "remember": this.first = ws; return ws.send("ok");
            case "same": return ws.send(String(this.first === ws && this.ctx.getWebSockets().includes(ws)));
            case "during-fetch": return ws.send(JSON.stringify(this.duringFetch.get(ws)));
            case "binary":
              ws.send(new Uint8Array([1, 2, 3]));
              ws.send(new Uint8Array([4, 5]).buffer);
              ws.send(new DataView(new Uint8Array([0, 6, 7]).buffer, 1));
              return;
            case "close": return ws.close(4001, "asked to");
            case "try":
              try { eval(arg); ws.send("no error"); } catch (e) { ws.send(e.constructor.name + ": " + e.message); }
              return;
          }
        }
        webSocketClose(ws, code, reason, wasClean) {
          for (const other of this.ctx.getWebSockets()) if (other.readyState === WebSocket.OPEN) other.send(`closed ${code} ${reason} ${wasClean} ${ws.readyState}`);
        }
        webSocketError(ws, error) {
          for (const other of this.ctx.getWebSockets()) if (other.readyState === WebSocket.OPEN) other.send("error " + error.message);
        }
      }
      """;

  @TempDir Path lib;
  RoomDriver driver;
  FakeSocket a = new FakeSocket("a");
  FakeSocket b = new FakeSocket("b");

  @BeforeEach
  void activate() throws Exception {
    driver = RoomDriver.of(lib, ROOM);
  }

  @AfterEach
  void close() throws Exception {
    driver.close();
  }

  ConnectDecision join(FakeSocket socket, String name, String... tags) {
    return driver.connect(socket, "/", Map.of("tag", List.of(tags), "name", List.of(name)));
  }

  List<String> heard(FakeSocket socket) {
    List<String> lines =
        socket.transcript.stream()
            .map(line -> line.replaceFirst("^" + socket.id() + " (<- )?", ""))
            .toList();
    socket.transcript.clear();
    return lines;
  }

  @Test
  void theUpgradeIsAcceptedWithItsTagsAndListedAfter() throws Exception {
    assertThat(join(a, "ann", "red", "blue").tags()).containsExactly("red", "blue");
    assertThat(join(b, "bob", "red").tags()).containsExactly("red");
    driver.send(a, "during-fetch");
    driver.send(b, "during-fetch");
    driver.send(a, "tags");
    driver.send(a, "count red");
    driver.send(a, "count blue");
    driver.send(a, "count green");
    driver.send(a, "all");
    assertThat(heard(a))
        .containsExactly(
            "[[\"red\",\"blue\"],true]", "[\"red\",\"blue\"]", "2", "1", "0", "ann,bob");
    assertThat(heard(b)).containsExactly("[[\"red\"],true]");
  }

  @Test
  void aConnectionIsOneWebSocketObjectAcrossEventsAndAfterAnEviction() throws Exception {
    join(a, "ann");
    driver.send(a, "remember");
    driver.send(a, "same");
    driver.evict();
    driver.activate();
    driver.send(a, "remember");
    driver.send(a, "same");
    assertThat(heard(a)).containsExactly("ok", "true", "ok", "true");
  }

  @Test
  void otherStatusesRefuseTheUpgradeAndABrokenAnswerFails() {
    ConnectDecision refused = driver.connect(a, "/refuse");
    assertThat(refused.accepted()).isFalse();
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body()).isEqualTo("no room for you");
    assertThatThrownBy(() -> driver.connect(b, "/ok"))
        .isInstanceOf(JsHandlerException.class)
        .hasMessageContaining("status 200");
    assertThatThrownBy(() -> driver.connect(b, "/unaccepted"))
        .hasMessageContaining("without ctx.acceptWebSocket(server)");
    assertThatThrownBy(() -> driver.connect(b, "/wrong-end"))
        .hasMessageContaining("not the other end of the accepted one");
    assertThat(driver.ctx.live).isEmpty();
  }

  @Test
  void sendTakesStringsArrayBuffersAndViews() throws Exception {
    join(a, "ann");
    driver.send(a, "binary");
    assertThat(heard(a)).containsExactly("bytes:010203", "bytes:0405", "bytes:0607");
  }

  @Test
  void aBinaryMessageArrivesAsAnArrayBuffer() throws Exception {
    RoomDriver.write(
        lib,
        "echo.js",
        """
        export class Room {
          webSocketMessage(ws, message) {
            ws.send(String(message) + " " + new Uint8Array(message).join("."));
            ws.send(message);
          }
        }
        """);
    try (RoomDriver echo = new RoomDriver(lib, "echo.js#Room", new FakeRoomContext())) {
      echo.activate();
      echo.sendBinary(a, new byte[] {0, (byte) 200, 7});
      assertThat(heard(a)).containsExactly("[object ArrayBuffer] 0.200.7", "bytes:00c807");
    }
  }

  @Test
  void closeAndTheCloseAndErrorHandlers() throws Exception {
    join(a, "ann");
    join(b, "bob");
    FakeSocket c = new FakeSocket("c");
    join(c, "cid");
    driver.send(c, "close");
    assertThat(heard(c)).containsExactly("closed 4001 \"asked to\"");
    driver.clientCloses(b, 1001, "going");
    assertThat(heard(a)).containsExactly("closed 1001 going true 3");
    assertThat(heard(c)).isEmpty();
    driver.room().onError(b, new java.io.IOException("connection reset"));
    assertThat(heard(a)).containsExactly("error connection reset");
  }

  @Test
  void whatDormouseDoesNotSupportSaysSo() throws Exception {
    join(a, "ann");
    driver.send(a, "try ws.accept()");
    driver.send(a, "try this.ctx.acceptWebSocket(new WebSocketPair()[1])");
    driver.send(a, "try new WebSocket('wss://example.com')");
    driver.send(a, "try ws.addEventListener('message',()=>{})");
    driver.send(a, "try new WebSocketPair()[0].send('x')");
    assertThat(heard(a))
        .containsExactly(
            "Error: ws.accept() is not supported: Dormouse's WebSockets hibernate; use"
                + " ctx.acceptWebSocket(ws)",
            "Error: acceptWebSocket() outside fetch() of a WebSocket upgrade: Dormouse accepts a"
                + " WebSocket only in answer to its client's upgrade request",
            "TypeError: a room cannot open WebSockets; it accepts them with ctx.acceptWebSocket()"
                + " in fetch()",
            "Error: WebSocket events are not supported: the class's webSocketMessage,"
                + " webSocketClose and webSocketError handlers receive them",
            "TypeError: send(): this WebSocket was not accepted with ctx.acceptWebSocket()");
  }
}
