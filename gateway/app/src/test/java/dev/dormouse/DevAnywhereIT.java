package dev.dormouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dormouse.testing.ManagedProcess;
import dev.dormouse.testing.WsClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar dormouse.jar dev} started outside the repository, in a folder of its own. */
class DevAnywhereIT {

  @TempDir Path elsewhere;

  @Test
  void servesTheBuiltInRoomsAndSaysSo() throws Exception {
    try (ManagedProcess process = DevCommandIT.dormouse(elsewhere)) {
      process.awaitLine(
          Pattern.compile(
              Pattern.quote("no rooms folder: serving the built-in rooms example, echo, chat")));
      Matcher running = process.awaitLine(DevCommandIT.RUNNING);

      WsClient seed = WsClient.connect(DevCommandIT.ws(running, "/websocket"));
      seed.send("hello");
      assertThat(seed.nextText())
          .matches("\\[Durable Object] message: hello, from: .{36}\\. Total connections: 1");

      WsClient echo = WsClient.connect(DevCommandIT.ws(running, "/rooms/echo"));
      echo.send("hi");
      assertThat(echo.nextText()).isEqualTo("hi");
      echo.send("ping");
      assertThat(echo.nextText()).as("echo.yaml's auto-response").isEqualTo("pong");

      WsClient chat = WsClient.connect(DevCommandIT.ws(running, "/rooms/chat/lobby"));
      assertThat(chat.nextText()).as("the chat room announces the join").contains("join");
    }
  }

  @Test
  void aRoomsFolderThatIsNotThereIsOneLineAndStatus2() throws Exception {
    try (ManagedProcess process = DevCommandIT.dormouse(elsewhere, "--rooms", "my-rooms")) {
      assertThat(process.waitFor(Duration.ofSeconds(60))).isTrue();
      assertThat(process.exitValue()).isEqualTo(2);
      assertThat(process.output())
          .isEqualTo("dormouse: --rooms my-rooms: no such folder (try --help)");
    }
  }
}
