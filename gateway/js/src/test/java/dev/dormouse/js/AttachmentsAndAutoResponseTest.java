package dev.dormouse.js;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dormouse.room.AutoResponsePair;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * serializeAttachment/deserializeAttachment keep structured-clone values across an eviction (each
 * type kept as itself), refuse what cannot be cloned and what passes the room's limit; the
 * auto-response trio reads and writes the instance's pair.
 */
class AttachmentsAndAutoResponseTest {

  static final String ROOM =
      """
      export class Room {
        constructor(ctx) { this.ctx = ctx; }
        async fetch() {
          const [client, server] = Object.values(new WebSocketPair());
          this.ctx.acceptWebSocket(server);
          return new Response(null, { status: 101, webSocket: client });
        }
        webSocketMessage(ws, message) {
          const answer = (f) => { try { ws.send(String(f())); } catch (e) { ws.send(e.name + ": " + e.message); } };
          switch (message) {
            case "keep": {
              const shared = { n: 1 };
              const cyclic = { name: "c" }; cyclic.self = cyclic;
              return answer(() => ws.serializeAttachment({
                text: "t", number: -0, nan: NaN, inf: -Infinity, none: undefined, nil: null, big: 12345678901234567890n,
                date: new Date(86400000), regexp: /a+b/gi, map: new Map([["k", new Set([1, 2])]]),
                buffer: new Uint8Array([1, 2, 255]).buffer, typed: new Int16Array([-2, 3]),
                view: new DataView(new Uint8Array([9, 8]).buffer), error: new RangeError("r"),
                shared: [shared, shared], cyclic }));
            }
            case "check": return answer(() => {
              const v = ws.deserializeAttachment();
              return [
                v.text === "t", Object.is(v.number, -0), Number.isNaN(v.nan), v.inf === -Infinity,
                "none" in v && v.none === undefined, v.nil === null, v.big === 12345678901234567890n,
                v.date instanceof Date && v.date.getTime() === 86400000,
                v.regexp instanceof RegExp && v.regexp.source === "a+b" && v.regexp.flags === "gi",
                v.map instanceof Map && v.map.get("k") instanceof Set && v.map.get("k").has(2),
                v.buffer instanceof ArrayBuffer && new Uint8Array(v.buffer).join() === "1,2,255",
                v.typed instanceof Int16Array && v.typed.join() === "-2,3",
                v.view instanceof DataView && v.view.getUint8(1) === 8,
                v.error instanceof RangeError && v.error.message === "r",
                v.shared[0] === v.shared[1], v.cyclic.self === v.cyclic,
              ].join();
            });
            case "none": return answer(() => ws.deserializeAttachment());
            case "function": return answer(() => ws.serializeAttachment({ f() {} }));
            case "socket": return answer(() => ws.serializeAttachment({ ws }));
            case "huge": return answer(() => ws.serializeAttachment("x".repeat(20000)));
            case "set-auto": return answer(() => this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("marco", "polo")));
            case "get-auto": return answer(() => { const p = this.ctx.getWebSocketAutoResponse(); return p === null ? "null" : p.request + "/" + p.response; });
            case "clear-auto": return answer(() => this.ctx.setWebSocketAutoResponse());
            case "when": return answer(() => { const t = this.ctx.getWebSocketAutoResponseTimestamp(ws); return t === null ? "null" : t.toISOString(); });
            case "bad-auto": return answer(() => this.ctx.setWebSocketAutoResponse({ request: "a", response: "b" }));
          }
        }
      }
      """;

  @TempDir Path lib;

  @Test
  void everyStructuredCloneTypeSurvivesAnEviction() throws Exception {
    FakeSocket a = new FakeSocket("a");
    try (RoomDriver driver = RoomDriver.of(lib, ROOM)) {
      driver.connect(a);
      driver.send(a, "none");
      driver.send(a, "keep");
      driver.evict();
      driver.activate();
      driver.send(a, "check");
    }
    assertThat(a.transcript)
        .containsExactly(
            "a <- null",
            "a <- undefined",
            "a <- " + String.join(",", java.util.Collections.nCopies(16, "true")));
  }

  @Test
  void whatCannotBeClonedOrPassesTheLimitIsRefused() throws Exception {
    FakeSocket a = new FakeSocket("a");
    try (RoomDriver driver = RoomDriver.of(lib, ROOM)) {
      driver.connect(a);
      driver.send(a, "function");
      driver.send(a, "socket");
      driver.send(a, "huge");
    }
    assertThat(a.transcript.get(0)).startsWith("a <- DataCloneError: ");
    assertThat(a.transcript.get(1)).startsWith("a <- DataCloneError: ");
    assertThat(a.transcript.get(2))
        .startsWith("a <- RangeError: attachment of ")
        .contains("maxAttachmentBytes");
  }

  @Test
  void theAutoResponseIsTheInstancesPair() throws Exception {
    FakeSocket a = new FakeSocket("a");
    try (RoomDriver driver = RoomDriver.of(lib, ROOM)) {
      driver.connect(a);
      driver.send(a, "get-auto");
      driver.send(a, "set-auto");
      assertThat(driver.ctx.autoResponse).isEqualTo(new AutoResponsePair("marco", "polo"));
      driver.send(a, "get-auto");
      driver.send(a, "when");
      driver.send(a, "marco");
      driver.send(a, "bad-auto");
      driver.ctx.autoResponseTimes.put("a", Instant.parse("2026-01-02T03:04:05.678Z"));
      driver.send(a, "when");
      driver.send(a, "clear-auto");
      driver.send(a, "get-auto");
      assertThat(driver.ctx.autoResponse).isNull();
    }
    assertThat(a.transcript)
        .containsExactly(
            "a <- null",
            "a <- undefined",
            "a <- marco/polo",
            "a <- null",
            "a <- polo",
            "a <- TypeError: setWebSocketAutoResponse() takes a WebSocketRequestResponsePair",
            "a <- 2026-01-02T03:04:05.678Z",
            "a <- undefined",
            "a <- null");
  }
}
