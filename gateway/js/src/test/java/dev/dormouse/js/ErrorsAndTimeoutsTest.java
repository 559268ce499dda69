package dev.dormouse.js;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A handler that throws or rejects makes the Java call throw (with the JavaScript stack); an event
 * ends when its promise settles, its timers run in its own loop; close() from another thread stops
 * a handler that runs away or waits.
 */
class ErrorsAndTimeoutsTest {

  static final String ROOM =
      """
      const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
      export class Room {
        constructor(ctx) {
          this.ctx = ctx;
          ctx.blockConcurrencyWhile(async () => {
            await sleep(5);
            this.ready = (await ctx.storage.get("boot")) ?? "booted";
          });
        }
        async webSocketMessage(ws, message) {
          switch (message) {
            case "ready": return ws.send(this.ready);
            case "throw": throw new TypeError("thrown on purpose");
            case "reject": await sleep(1); throw new Error("rejected on purpose");
            case "spin": ws.send("spinning"); while (true) {}
            case "wait": ws.send("waiting"); await sleep(600000); return;
            case "never": await new Promise(() => {}); return;
            case "timers": {
              const order = [];
              setTimeout(() => order.push("b"), 20);
              setTimeout(() => order.push("a"), 5);
              setTimeout((x) => order.push(x), 0, "z1");
              setTimeout((x) => order.push(x), 0, "z2");
              let ticks = 0;
              await new Promise((resolve) => {
                const id = setInterval(() => { order.push("tick" + ++ticks); if (ticks === 3) { clearInterval(id); resolve(); } }, 1);
              });
              const cancelled = setTimeout(() => order.push("cancelled"), 1);
              clearTimeout(cancelled);
              await sleep(30);
              const ticked = order.filter((t) => t.startsWith("tick"));
              return ws.send(ticked.join() + "|" + order.filter((t) => !ticked.includes(t)).join());
            }
            case "leave-timer": setTimeout(() => ws.send("late"), 5); return ws.send("left");
            case "after": await sleep(40); return ws.send("after");
            case "wait-until":
              this.ctx.waitUntil(sleep(5).then(() => ws.send("waited until")));
              this.ctx.waitUntil(Promise.reject(new Error("logged, not failed")));
              return ws.send("returned");
          }
        }
        webSocketError(ws, error) { throw new Error("error handler failed on " + error.message); }
      }
      """;

  @TempDir Path lib;

  @Test
  void aThrowOrARejectionMakesTheJavaCallThrowWithTheStack() throws Exception {
    try (RoomDriver driver = RoomDriver.of(lib, ROOM)) {
      FakeSocket s = new FakeSocket("s");
      assertThatThrownBy(() -> driver.send(s, "throw"))
          .isInstanceOf(JsHandlerException.class)
          .hasMessageStartingWith("TypeError: thrown on purpose")
          .hasMessageContaining("at Room.webSocketMessage (room.js:");
      assertThatThrownBy(() -> driver.send(s, "reject"))
          .hasMessageStartingWith("Error: rejected on purpose")
          .hasMessageContaining("room.js:");
      assertThatThrownBy(() -> driver.room().onError(s, new RuntimeException("boom")))
          .hasMessageStartingWith("Error: error handler failed on boom");
    }
  }

  @Test
  void theConstructorsBlockConcurrencyWhileEndsBeforeTheFirstEvent() throws Exception {
    FakeRoomContext ctx = new FakeRoomContext();
    ctx.storage.put("boot", serialized("from storage"));
    try (RoomDriver driver = new RoomDriver(write(), "room.js#Room", ctx)) {
      driver.activate();
      FakeSocket s = new FakeSocket("s");
      driver.send(s, "ready");
      assertThat(s.transcript).containsExactly("s <- from storage");
    }
  }

  @Test
  void aFailingBlockConcurrencyWhileFailsTheActivation() throws Exception {
    RoomDriver.write(
        lib,
        "bad.js",
        "export class Room { constructor(ctx) { ctx.blockConcurrencyWhile(async () => { throw new"
            + " Error('cannot start'); }); } }");
    try (RoomDriver driver = new RoomDriver(lib, "bad.js#Room", new FakeRoomContext())) {
      assertThatThrownBy(driver::activate).hasMessageStartingWith("Error: cannot start");
    }
  }

  @Test
  void timersRunInTheEventsLoopInDueOrderAndThoseLeftAreDropped() throws Exception {
    try (RoomDriver driver = RoomDriver.of(lib, ROOM)) {
      FakeSocket s = new FakeSocket("s");
      driver.send(s, "timers");
      driver.send(s, "leave-timer");
      driver.send(s, "after");
      driver.send(s, "wait-until");
      assertThat(s.transcript)
          .containsExactly(
              "s <- tick1,tick2,tick3|z1,z2,a,b",
              "s <- left",
              "s <- after",
              "s <- returned",
              "s <- waited until");
    }
  }

  @Test
  void aPromiseThatCanNeverSettleFailsTheEvent() throws Exception {
    try (RoomDriver driver = RoomDriver.of(lib, ROOM)) {
      assertThatThrownBy(() -> driver.send(new FakeSocket("s"), "never"))
          .hasMessageStartingWith("the handler's promise can never settle");
    }
  }

  @Test
  void closeFromAnotherThreadStopsAHandlerThatRunsAway() throws Exception {
    assertStoppedByClose("spin", "spinning");
  }

  @Test
  void closeFromAnotherThreadEndsAHandlersWaitForATimer() throws Exception {
    assertStoppedByClose("wait", "waiting");
  }

  private void assertStoppedByClose(String message, String started) throws Exception {
    RoomDriver driver = RoomDriver.of(lib, ROOM);
    FakeSocket s = new FakeSocket("s");
    CompletableFuture<Void> handler =
        CompletableFuture.runAsync(
            () -> {
              try {
                driver.send(s, message);
              } catch (RuntimeException e) {
                throw e;
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    await().atMost(Duration.ofSeconds(10)).until(() -> s.transcript.contains("s <- " + started));
    driver.evict();
    assertThatThrownBy(() -> handler.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(JsHandlerException.class)
        .hasMessageContaining("closed");
  }

  private Path write() throws Exception {
    RoomDriver.write(lib, "room.js", ROOM);
    return lib;
  }

  /** A value as the JavaScript storage writes it (the structured clone's text). */
  private String serialized(String text) throws Exception {
    FakeRoomContext ctx = new FakeRoomContext();
    RoomDriver.write(
        lib,
        "put.js",
        "export class Room { constructor(ctx) { this.ctx = ctx; } async webSocketMessage(ws, m) {"
            + " await this.ctx.storage.put('v', m); } }");
    try (RoomDriver driver = new RoomDriver(lib, "put.js#Room", ctx)) {
      driver.activate();
      driver.send(new FakeSocket("s"), text);
    }
    return ctx.storage.get("v").orElseThrow();
  }
}
