package dev.dormouse.jsrooms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.WsClient;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Room code that cannot be loaded — a syntax error, an export that is not there or not a class, a
 * missing file, a module that throws while it is evaluated — leaves the owner up for its other rooms;
 * the failed room's clients are refused with 503 and the message names the file and line.
 */
class JsModuleLoadFailureIT {

  static final String FINE =
      JsRooms.IMPORT
          + """
          export const notAClass = 42;
          export class Fine extends DurableObject {
          """
          + JsRooms.ACCEPT
          + """
            async webSocketMessage(ws, message) {
              ws.send("fine: " + message);
            }
          }
          """;

  /** A syntax error on line 3. */
  static final String BROKEN =
      JsRooms.IMPORT
          + """
          export class Broken extends DurableObject {
            fetch() { return 1 +; }
          }
          """;

  static final String THROWS_ON_LOAD =
      JsRooms.IMPORT
          + """
          if (!globalThis.SETTINGS) throw new Error("SETTINGS is not set");
          export class Eager extends DurableObject {}
          """;

  static LocalRunFixture dormouse;

  @BeforeAll
  static void start() throws IOException {
    dormouse =
        LocalRunFixture.startWithLibrary(
            Map.of(
                "rooms/fine.js", FINE, "rooms/broken.js", BROKEN, "rooms/eager.js", THROWS_ON_LOAD),
            LocalRunFixture.room("fine", "js:rooms/fine.js#Fine", ""),
            LocalRunFixture.room("broken", "js:rooms/broken.js#Broken", ""),
            LocalRunFixture.room("noexport", "js:rooms/fine.js#Missing", ""),
            LocalRunFixture.room("notaclass", "js:rooms/fine.js#notAClass", ""),
            LocalRunFixture.room("nofile", "js:rooms/absent.js#Absent", ""),
            LocalRunFixture.room("eager", "js:rooms/eager.js#Eager", ""));
  }

  @AfterAll
  static void stop() throws IOException {
    dormouse.close();
  }

  static int upgradeStatus(String room) {
    return WsClient.refusedStatus(dormouse.ws("/rooms/" + room), Map.of());
  }

  static HttpResponse<String> get(String room) {
    return LocalRunFixture.get(dormouse.http("/rooms/" + room + "/anything"));
  }

  @Test
  void aSyntaxErrorRefusesClientsWith503NamingFileAndLine() {
    assertThat(upgradeStatus("broken")).isEqualTo(503);

    HttpResponse<String> answer = get("broken");

    assertThat(answer.statusCode()).isEqualTo(503);
    assertThat(answer.body())
        .startsWith("room code failed to load: ")
        .contains("rooms/broken.js:3")
        .contains("SyntaxError");
  }

  @Test
  void aMissingExportOrOneThatIsNotAClassIsNamed() {
    assertThat(upgradeStatus("noexport")).isEqualTo(503);
    assertThat(get("noexport").body())
        .startsWith("room code failed to load: ")
        .contains("rooms/fine.js")
        .contains("Missing");
    assertThat(get("notaclass").statusCode()).isEqualTo(503);
    assertThat(get("notaclass").body()).contains("notAClass").contains("class");
  }

  @Test
  void aMissingFileIsNamed() {
    HttpResponse<String> answer = get("nofile");
    assertThat(answer.statusCode()).isEqualTo(503);
    assertThat(answer.body()).startsWith("room code failed to load: ").contains("rooms/absent.js");
  }

  @Test
  void aModuleThatThrowsWhileEvaluatedNamesItsLine() {
    HttpResponse<String> answer = get("eager");
    assertThat(answer.statusCode()).isEqualTo(503);
    assertThat(answer.body()).contains("rooms/eager.js:2").contains("Error: SETTINGS is not set");
  }

  @Test
  void theOwnersOtherRoomsServeOn() {
    assertThat(upgradeStatus("broken")).isEqualTo(503);

    WsClient client = WsClient.connect(dormouse.ws("/rooms/fine"));
    client.send("still here");

    assertThat(client.nextText()).isEqualTo("fine: still here");
  }
}
