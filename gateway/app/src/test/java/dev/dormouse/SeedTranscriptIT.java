package dev.dormouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.SeedTranscript;
import dev.dormouse.testing.WsClient;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cloudflare's example, driven by the same client steps as the reference transcript recorded on
 * workerd, must give the same WebSocket transcript byte for byte. The room's idle timeout is short
 * so the hibernation step really evicts the room instead of being skipped.
 */
class SeedTranscriptIT {

  static final String ROOM =
      LocalRunFixture.room(
          "example",
          "example",
          """
      hibernation:
        idleTimeout: 500ms
      """);

  static LocalRunFixture dormouse;

  @BeforeAll
  static void start() throws IOException {
    dormouse = LocalRunFixture.start(ROOM);
  }

  @AfterAll
  static void stop() throws Exception {
    dormouse.close();
  }

  @Test
  void reproducesTheWorkerdTranscript() throws Exception {
    List<String> transcript =
        SeedTranscript.record(
            new SeedTranscript.Target(
                path -> LocalRunFixture.get(dormouse.http(path)).statusCode(),
                path -> WsClient.connect(dormouse.ws(path)),
                () -> {
                  double evictions = dormouse.run().metrics().evictions();
                  await()
                      .atMost(Duration.ofSeconds(10))
                      .until(() -> dormouse.run().metrics().evictions() > evictions);
                  assertThat(dormouse.run().runtime().activeInstances()).isZero();
                }),
            WsClient.WAIT,
            WsClient.WAIT);

    assertThat(dormouse.run().metrics().revivals())
        .as("the room came back from Redis once")
        .isEqualTo(1);
    assertThat(transcript).containsExactlyElementsOf(SeedTranscript.reference());
  }
}
