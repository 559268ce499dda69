package dev.dormouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.WsClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
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

  static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
  static LocalRunFixture dormouse;

  @BeforeAll
  static void start() throws IOException {
    dormouse = LocalRunFixture.start(LocalRunFixture.room("example", "example", """
        hibernation:
          idleTimeout: 500ms
        """));
  }

  @AfterAll
  static void stop() throws Exception {
    dormouse.close();
  }

  @Test
  void reproducesTheWorkerdTranscript() throws IOException {
    List<String> transcript = new ArrayList<>();
    // 1. plain HTTP
    for (String path : List.of("/", "/websocket", "/other")) {
      var response = LocalRunFixture.get(dormouse.http(path));
      transcript.add("GET " + path + " -> " + response.statusCode());
    }
    // 2. socket A: ping, hello
    WsClient a = WsClient.connect(dormouse.ws("/websocket"));
    a.send("ping");
    receive(transcript, "A", a, 1);
    a.send("hello");
    receive(transcript, "A", a, 2);
    // 3. socket B joins; B speaks, then A says Ping (no auto-response: case matters)
    WsClient b = WsClient.connect(dormouse.ws("/websocket"));
    b.send("hi from b");
    receive(transcript, "B", b, 2);
    receive(transcript, "A", a, 2);
    a.send("Ping");
    receive(transcript, "A", a, 2);
    receive(transcript, "B", b, 2);
    // 4. a binary frame of three bytes
    a.send(new byte[] {1, 2, 3});
    receive(transcript, "A", a, 2);
    receive(transcript, "B", b, 2);
    // 5. B leaves
    b.close(1000, "bye");
    WsClient.Close bClosed = b.awaitClose();
    transcript.add("B closed " + bClosed.code() + " \"" + bClosed.reason() + "\"");
    // 6. the room hibernates (observed, not slept on); A wakes it, then pings
    double evictions = dormouse.run().metrics().evictions();
    await().atMost(Duration.ofSeconds(10)).until(() -> dormouse.run().metrics().evictions() > evictions);
    assertThat(dormouse.run().runtime().activeInstances()).isZero();
    a.send("after b left");
    receive(transcript, "A", a, 2);
    a.send("ping");
    receive(transcript, "A", a, 1);
    // 7. A leaves with its own code
    a.close(4000, "custom");
    WsClient.Close aClosed = a.awaitClose();
    transcript.add("A closed " + aClosed.code() + " \"" + aClosed.reason() + "\"");

    assertThat(dormouse.run().metrics().revivals()).as("the room came back from Redis once").isEqualTo(1);
    assertThat(normalised(transcript)).containsExactlyElementsOf(reference());
  }

  private static void receive(List<String> transcript, String name, WsClient client, int count) {
    for (int i = 0; i < count; i++) {
      transcript.add(name + " <- " + client.nextText());
    }
  }

  /** The reference shows UUIDs as <uuid> and HTTP lines without bodies compared (bodies may differ). */
  private static List<String> normalised(List<String> lines) {
    return lines.stream().map(line -> line.replaceAll(UUID, "<uuid>")).toList();
  }

  private static List<String> reference() throws IOException {
    try (InputStream in = SeedTranscriptIT.class.getResourceAsStream("/seed/transcript-workerd.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .map(line -> line.startsWith("GET ") ? line.replaceAll(" \".*\"$", "") : line)
          .toList();
    }
  }
}
