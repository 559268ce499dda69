package dev.dormouse.js;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dormouse.room.spi.RoomCodeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A module that cannot be used fails the room's load, naming the file and, where there is one, the line. */
class ModuleLoadTest {

  @TempDir Path lib;

  static final String ROOM =
      """
      import { DurableObject } from "cloudflare:workers";
      export class Room extends DurableObject {
        async webSocketMessage(ws, message) { ws.send("got " + message); }
      }
      """;

  RoomCodeException loadFails(String reference) {
    return org.assertj.core.api.Assertions.catchThrowableOfType(
        RoomCodeException.class, () -> RoomDriver.load(lib, reference));
  }

  @Test
  void aSyntaxErrorNamesTheFileLineAndColumn() throws Exception {
    RoomDriver.write(lib, "rooms/broken.js", "export class Room {\n  fetch() { return 1 +; }\n}\n");
    assertThat(loadFails("rooms/broken.js#Room").getMessage())
        .isEqualTo("rooms/broken.js:2:23: SyntaxError: Expected an operand but found ;");
  }

  @Test
  void aThrowAtTheTopLevelNamesItsLine() throws Exception {
    RoomDriver.write(lib, "top.js", "export class Room {}\n\nthrow new Error('boom at load');\n");
    assertThat(loadFails("top.js#Room").getMessage()).isEqualTo("top.js:3:7: Error: boom at load");
  }

  @Test
  void aMissingFileIsNamed() {
    assertThat(loadFails("absent/worker.js#Room").getMessage())
        .startsWith("absent/worker.js: no such file in the room library folder");
  }

  @Test
  void aMissingExportAndAnExportThatIsNoClassAreRefused() throws Exception {
    RoomDriver.write(lib, "room.js", ROOM + "export const notAClass = () => 1;\n");
    assertThat(loadFails("room.js#Other").getMessage())
        .isEqualTo("room.js: exports no Other (js:room.js#Other)");
    assertThat(loadFails("room.js#notAClass").getMessage())
        .isEqualTo("room.js: its export notAClass is not a class (js:room.js#notAClass)");
  }

  @Test
  void aMalformedReferenceIsExplained() {
    assertThat(loadFails("room.js").getMessage()).contains("expected js:<file>#<ExportName>");
    assertThat(loadFails("../room.js#Room").getMessage())
        .contains("inside the room library folder");
    assertThat(loadFails("/etc/room.js#Room").getMessage())
        .contains("inside the room library folder");
    assertThat(loadFails("room.txt#Room").getMessage()).contains("ending .js or .mjs");
    assertThat(loadFails("room.js#1Room").getMessage()).contains("JavaScript identifier");
  }

  @Test
  void aSymbolicLinkOutOfTheFolderIsRefused(@TempDir Path elsewhere) throws Exception {
    Path outside = elsewhere.resolve("evil.js");
    Files.writeString(outside, ROOM);
    Files.createSymbolicLink(lib.resolve("evil.js"), outside);
    assertThat(loadFails("evil.js#Room").getMessage())
        .startsWith("evil.js: resolves outside the room library folder");
  }

  @Test
  void relativeImportsLoadFromTheFolderAndNoFurther(@TempDir Path elsewhere) throws Exception {
    RoomDriver.write(lib, "app/greeting.js", "export const greeting = 'hi';\n");
    RoomDriver.write(
        lib,
        "app/room.js",
        """
        import { greeting } from "./greeting.js";
        export class Room {
          webSocketMessage(ws, message) { ws.send(greeting + " " + message); }
        }
        """);
    try (RoomDriver driver = new RoomDriver(lib, "app/room.js#Room", new FakeRoomContext())) {
      driver.activate();
      FakeSocket socket = new FakeSocket("s");
      driver.send(socket, "there");
      assertThat(socket.transcript).containsExactly("s <- hi there");
    }

    Files.writeString(elsewhere.resolve("secret.js"), "export const secret = 42;\n");
    RoomDriver.write(
        lib,
        "leak.js",
        "import { secret } from \""
            + elsewhere.resolve("secret.js")
            + "\";\nexport class Room {}\n");
    assertThat(loadFails("leak.js#Room").getMessage()).contains("outside the room library folder");
    RoomDriver.write(lib, "up.js", "import { x } from \"../x.js\";\nexport class Room {}\n");
    assertThat(loadFails("up.js#Room")).isNotNull();
  }

  @Test
  void onlyCloudflareWorkersIsAModuleOfTheRuntime() throws Exception {
    RoomDriver.write(lib, "node.js", "import fs from \"node:fs\";\nexport class Room {}\n");
    assertThat(loadFails("node.js#Room").getMessage()).contains("node:fs");
  }

  @Test
  void aTopLevelThatRunsAwayIsStoppedAtLoad() throws Exception {
    RoomDriver.write(lib, "spin.js", "while (true) {}\nexport class Room {}\n");
    assertThatThrownBy(() -> new JsRoomCodeLoader(Duration.ofMillis(300)).load("spin.js#Room", lib))
        .hasMessage("spin.js: its top level ran past 300 ms at load");
  }

  @Test
  void theModuleIsTheOneLoadedEvenIfTheFileChangesAfter() throws Exception {
    RoomDriver.write(lib, "room.js", ROOM);
    try (RoomDriver driver = new RoomDriver(lib, "room.js#Room", new FakeRoomContext())) {
      Files.writeString(
          lib.resolve("room.js"), "export class Room { webSocketMessage(ws) { ws.send('new'); } }");
      driver.activate();
      FakeSocket socket = new FakeSocket("s");
      driver.send(socket, "x");
      assertThat(socket.transcript).containsExactly("s <- got x");
    }
  }

  @Test
  void aNonUtf8FileIsRefused() throws Exception {
    Files.write(lib.resolve("bin.js"), new byte[] {(byte) 0xff, (byte) 0xfe, 0x00});
    assertThatThrownBy(() -> RoomDriver.load(lib, "bin.js#Room"))
        .hasMessage("bin.js: not UTF-8 text");
  }
}
