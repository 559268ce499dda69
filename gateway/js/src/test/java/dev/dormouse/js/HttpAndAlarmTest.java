package dev.dormouse.js;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dormouse.room.RoomRequest;
import dev.dormouse.room.RoomResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fetch(request) for plain HTTP into the room, and alarm(alarmInfo). */
class HttpAndAlarmTest {

  static final String ROOM =
      """
      import { DurableObject } from "cloudflare:workers";
      export class Room extends DurableObject {
        async fetch(request) {
          const url = new URL(request.url);
          if (url.pathname.endsWith("/json")) {
            return Response.json({ method: request.method, path: url.pathname, q: url.searchParams.get("q"),
              type: request.headers.get("content-type"), body: await request.text() }, { status: 201 });
          }
          if (url.pathname.endsWith("/bytes")) {
            const bytes = new Uint8Array(await request.arrayBuffer());
            return new Response(bytes.reverse(), { headers: { "X-Count": String(bytes.length) } });
          }
          if (url.pathname.endsWith("/later")) {
            await new Promise((resolve) => setTimeout(resolve, 20));
            return new Response("waited");
          }
          throw new Error("no route for " + url.pathname);
        }
        async alarm(info) {
          const rings = (await this.ctx.storage.get("rings")) ?? [];
          rings.push(info);
          await this.ctx.storage.put("rings", rings);
          if (info.retryCount < 1) throw new Error("first ring fails");
        }
      }
      """;

  @TempDir Path lib;

  @Test
  void aRequestReachesFetchAndItsResponseComesBack() throws Exception {
    try (RoomDriver driver = RoomDriver.of(lib, ROOM)) {
      RoomResponse json =
          driver.request(
              RoomRequest.post("/json", "héllo")
                  .withFullPath("/rooms/counter/a/json")
                  .withQuery(Map.of("q", List.of("x y"))));
      assertThat(json.status()).isEqualTo(201);
      assertThat(json.header("content-type")).contains("application/json");
      assertThat(json.bodyText())
          .isEqualTo(
              "{\"method\":\"POST\",\"path\":\"/rooms/counter/a/json\",\"q\":\"x y\","
                  + "\"type\":\"text/plain; charset=utf-8\",\"body\":\"héllo\"}");

      RoomResponse bytes =
          driver.request(RoomRequest.of("PUT", "/bytes", Map.of(), new byte[] {1, 2, (byte) 250}));
      assertThat(bytes.body()).containsExactly((byte) 250, 2, 1);
      assertThat(bytes.header("x-count")).contains("3");

      assertThat(driver.request(RoomRequest.get("/later")).bodyText()).isEqualTo("waited");
      assertThatThrownBy(() -> driver.request(RoomRequest.get("/nowhere")))
          .isInstanceOf(JsHandlerException.class)
          .hasMessageStartingWith("Error: no route for /nowhere")
          .hasMessageContaining("room.js:");
    }
  }

  @Test
  void anAlarmGetsItsRetryCountAndAThrowFailsIt() throws Exception {
    try (RoomDriver driver = RoomDriver.of(lib, ROOM)) {
      assertThatThrownBy(() -> driver.alarm(0)).hasMessageStartingWith("Error: first ring fails");
      driver.evict();
      driver.activate();
      driver.alarm(1);
      assertThat(driver.ctx.storage.get("rings").orElseThrow())
          .contains("retryCount")
          .contains("isRetry");
      FakeSocket s = new FakeSocket("s");
      RoomDriver.write(
          lib,
          "show.js",
          "export class Room { constructor(ctx) { this.ctx = ctx; }"
              + " async webSocketMessage(ws) { ws.send(JSON.stringify(await this.ctx.storage.get('rings'))); } }");
      try (RoomDriver reader = new RoomDriver(lib, "show.js#Room", driver.ctx)) {
        reader.activate();
        reader.send(s, "?");
      }
      assertThat(s.transcript)
          .containsExactly(
              "s <- [{\"retryCount\":0,\"isRetry\":false},{\"retryCount\":1,\"isRetry\":true}]");
    }
  }

  @Test
  void withinAlarmGetAlarmIsNullUntilTheHandlerSetsOne() throws Exception {
    RoomDriver.write(
        lib,
        "again.js",
        """
        export class Room {
          constructor(ctx) { this.ctx = ctx; }
          async alarm() {
            const seen = [await this.ctx.storage.getAlarm()];
            await this.ctx.storage.setAlarm(5000);
            seen.push(await this.ctx.storage.getAlarm());
            await this.ctx.storage.put("seen", seen);
          }
          async webSocketMessage(ws) {
            ws.send(JSON.stringify([await this.ctx.storage.get("seen"), await this.ctx.storage.getAlarm()]));
          }
        }
        """);
    FakeRoomContext ctx = new FakeRoomContext();
    ctx.setAlarm(java.time.Instant.ofEpochMilli(1000));
    try (RoomDriver driver = new RoomDriver(lib, "again.js#Room", ctx)) {
      driver.activate();
      driver.alarm(0);
      FakeSocket s = new FakeSocket("s");
      driver.send(s, "?");
      assertThat(s.transcript).containsExactly("s <- [[null,5000],5000]");
    }
  }

  @Test
  void aClassWithoutTheHandlerFailsTheEvent() throws Exception {
    RoomDriver.write(lib, "bare.js", "export class Bare {}\n");
    try (RoomDriver driver = new RoomDriver(lib, "bare.js#Bare", new FakeRoomContext())) {
      driver.activate();
      assertThatThrownBy(() -> driver.alarm(0)).hasMessageContaining("Bare has no alarm() handler");
      assertThatThrownBy(() -> driver.request(RoomRequest.get("/")))
          .hasMessageContaining("Bare has no fetch() handler");
      assertThatThrownBy(() -> driver.send(new FakeSocket("s"), "x"))
          .hasMessageContaining("Bare has no webSocketMessage() handler");
      // Close and error without handlers are fine: nothing to do.
      driver.clientCloses(new FakeSocket("s"), 1000, "");
    }
  }
}
