package dev.dormouse.jsrooms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.WsClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chat example as it ships (examples/rooms/chat-js.yaml and chat-js/chat.js), its idle notice
 * shortened to a second: joins and leaves are announced, names come from the sockets' attachments
 * and tags, a newcomer gets the history from storage, HTTP reads it as JSON, and a quiet room hears
 * of it from its alarm.
 */
class ChatJsExampleIT {

  static final Path EXAMPLES = Path.of("../../examples/rooms");

  static LocalRunFixture dormouse;

  @BeforeAll
  static void start() throws IOException {
    String manifest = Files.readString(EXAMPLES.resolve("chat-js.yaml"));
    assertThat(manifest).contains("IDLE_NOTICE_SECONDS: \"60\"");
    dormouse =
        LocalRunFixture.startWithLibrary(
            Map.of("chat-js/chat.js", Files.readString(EXAMPLES.resolve("chat-js/chat.js"))),
            manifest.replace("IDLE_NOTICE_SECONDS: \"60\"", "IDLE_NOTICE_SECONDS: \"1\""));
  }

  @AfterAll
  static void stop() throws IOException {
    dormouse.close();
  }

  static WsClient join(String instance, String name) {
    return WsClient.connect(dormouse.ws("/rooms/chat-js/" + instance + "?name=" + name));
  }

  @Test
  void peopleJoinTalkAndLeave() {
    WsClient alice = join("lobby", "alice");
    assertThat(alice.nextText()).isEqualTo("* alice joined (1 here)");
    WsClient bob = join("lobby", "bob");
    assertThat(bob.nextText()).isEqualTo("* bob joined (2 here)");
    assertThat(alice.nextText()).isEqualTo("* bob joined (2 here)");

    alice.send("hi bob");
    assertThat(alice.nextText()).isEqualTo("alice: hi bob");
    assertThat(bob.nextText()).isEqualTo("alice: hi bob");
    bob.send("/who");
    assertThat(bob.nextText()).isEqualTo("* here: alice, bob");
    bob.send("/to alice psst");
    assertThat(alice.nextText()).isEqualTo("bob (to you): psst");
    assertThat(bob.nextText()).isEqualTo("* sent to alice");

    bob.close(1000, "");
    assertThat(alice.nextText()).isEqualTo("* bob left");
  }

  @Test
  void aNewcomerGetsTheHistoryWhichHttpReadsToo() {
    WsClient carol = join("history", "carol");
    assertThat(carol.nextText()).isEqualTo("* carol joined (1 here)");
    carol.send("first");
    assertThat(carol.nextText()).isEqualTo("carol: first");
    carol.send("second");
    assertThat(carol.nextText()).isEqualTo("carol: second");

    WsClient dave = join("history", "dave");

    assertThat(dave.nextText()).isEqualTo("carol: first");
    assertThat(dave.nextText()).isEqualTo("carol: second");
    assertThat(dave.nextText()).isEqualTo("* dave joined (2 here)");
    String history = LocalRunFixture.get(dormouse.http("/rooms/chat-js/history/history")).body();
    assertThat(history)
        .startsWith("[{\"name\":\"carol\",\"text\":\"first\",\"at\":\"")
        .contains("{\"name\":\"carol\",\"text\":\"second\"");
  }

  @Test
  void aQuietRoomIsToldSoByItsAlarm() {
    WsClient erin = join("quiet", "erin");
    assertThat(erin.nextText()).isEqualTo("* erin joined (1 here)");

    assertThat(erin.nextText(Duration.ofSeconds(10))).isEqualTo("* quiet for 1 s, 1 here");
  }
}
