package dev.dormouse.js;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dormouse.room.RoomKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the class is constructed with: env (the room's spec.env), ctx.id, the event timeout. */
class StateTest {

  static final String ROOM =
      """
      import { DurableObject, env as importedEnv } from "cloudflare:workers";
      export class Room extends DurableObject {
        webSocketMessage(ws, message) {
          switch (message) {
            case "env": return ws.send(JSON.stringify(this.env) + " " + (importedEnv.GREETING === this.env.GREETING));
            case "id": return ws.send(this.ctx.id.name + " " + this.ctx.id + " " + this.ctx.id.equals(this.ctx.id));
            case "timeout":
              this.ctx.setHibernatableWebSocketEventTimeout(2500);
              return ws.send(String(this.ctx.getHibernatableWebSocketEventTimeout()));
            case "instanceof": return ws.send(String(this instanceof DurableObject));
          }
        }
      }
      """;

  @TempDir Path lib;

  @Test
  void theClassSeesTheRoomsEnvItsIdAndItsTimeout() throws Exception {
    RoomDriver.write(lib, "room.js", ROOM);
    RoomKey key = new RoomKey("default", "chat", "lobby");
    FakeRoomContext ctx = new FakeRoomContext(key, Map.of("GREETING", "hello", "MODE", "test"));
    FakeSocket s = new FakeSocket("s");
    try (RoomDriver driver = new RoomDriver(lib, "room.js#Room", ctx)) {
      driver.activate();
      driver.send(s, "env");
      driver.send(s, "id");
      driver.send(s, "timeout");
      driver.send(s, "instanceof");
    }
    assertThat(s.transcript.get(0))
        .isIn(
            "s <- {\"GREETING\":\"hello\",\"MODE\":\"test\"} true",
            "s <- {\"MODE\":\"test\",\"GREETING\":\"hello\"} true");
    assertThat(s.transcript.get(1)).isEqualTo("s <- lobby " + JsRoom.idHex(key) + " true");
    assertThat(JsRoom.idHex(key)).matches("[0-9a-f]{64}");
    assertThat(ctx.eventTimeout).isEqualTo(Duration.ofMillis(2500));
    assertThat(s.transcript.subList(2, 4)).containsExactly("s <- 2500", "s <- true");
  }
}
