package dev.dormouse.jsrooms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.SeedTranscript;
import dev.dormouse.testing.WsClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seed's own JavaScript class, unchanged, serves the seed's clients: driven by the steps of the
 * reference transcript recorded on workerd, it gives that transcript byte for byte, with a real
 * eviction before "after b left" (the instance leaves memory, socket A stays open, A's message
 * constructs the class again from the sockets' attachments).
 */
class SeedTranscriptJsIT {

  /** The example as it ships, which must be the seed's file byte for byte. */
  static final Path EXAMPLE = Path.of("../../examples/rooms/seed/worker.js");

  /** The seed's file, beside the repository where the seed is present. */
  static final Path SEED = Path.of("../../../shared/seed/worker.js");

  /** SHA-256 of the seed's worker.js (5,195 bytes), recorded from the seed. */
  static final String SEED_SHA256 =
      "f1a20191724ec538c12379af7e8e4486ff49c7622f08c899592d4b7db1b67f05";

  static LocalRunFixture dormouse;

  @BeforeAll
  static void start() throws IOException {
    // Named "example", the local run's default room, so the steps find it at /websocket.
    dormouse =
        LocalRunFixture.startWithLibrary(
            Map.of("seed/worker.js", Files.readString(EXAMPLE, StandardCharsets.UTF_8)),
            LocalRunFixture.room(
                "example",
                "js:seed/worker.js#WebSocketHibernationServer",
                "hibernation:\n  idleTimeout: 500ms\n"));
  }

  @AfterAll
  static void stop() throws IOException {
    dormouse.close();
  }

  @Test
  void theExampleIsTheSeedsOwnFileByteForByte() throws Exception {
    byte[] example = Files.readAllBytes(EXAMPLE);
    assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(example)))
        .isEqualTo(SEED_SHA256);
    if (Files.exists(SEED)) {
      assertThat(example).isEqualTo(Files.readAllBytes(SEED));
    }
  }

  @Test
  void reproducesTheWorkerdTranscriptWithAnEvictionInTheMiddle() throws Exception {
    double revivals = dormouse.run().metrics().revivals();
    List<String> transcript =
        SeedTranscript.record(
            new SeedTranscript.Target(
                path -> LocalRunFixture.get(dormouse.http(path)).statusCode(),
                path -> WsClient.connect(dormouse.ws(path)),
                () -> JsRooms.awaitEviction(dormouse)),
            WsClient.WAIT,
            WsClient.WAIT);

    assertThat(dormouse.run().metrics().revivals())
        .as("the class was constructed again once, from Redis")
        .isEqualTo(revivals + 1);
    assertThat(transcript).containsExactlyElementsOf(SeedTranscript.reference());
  }
}
