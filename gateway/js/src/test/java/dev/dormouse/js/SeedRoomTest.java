package dev.dormouse.js;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's own JavaScript class (examples/rooms/seed/worker.js, the seed's worker.js byte for byte;
 * the shared seed until that example is merged) through the loader and
 * the Room adapter gives the seed's transcript, an eviction in the middle. The HTTP lines are the
 * Worker's, which the gateway's routes play; the pongs are the auto-response, which the gateways
 * answer (here the driver, from what the class set). Each client's lines in order, as the reference
 * records them client by client.
 */
class SeedRoomTest {

  static final Path SEED = Path.of("../../examples/rooms/seed/worker.js");
  static final Path SHARED_SEED = Path.of("/work/shared/seed/worker.js");

  static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

  @TempDir Path lib;

  static String seedSource() throws Exception {
    return Files.readString(Files.exists(SEED) ? SEED : SHARED_SEED);
  }

  @Test
  void theSeedClassGivesTheWorkerdTranscriptAcrossAnEviction() throws Exception {
    RoomDriver.write(lib, "seed/worker.js", seedSource());
    List<String> transcript = new CopyOnWriteArrayList<>();
    FakeSocket a = new FakeSocket("A", transcript);
    FakeSocket b = new FakeSocket("B", transcript);
    try (RoomDriver driver =
        new RoomDriver(lib, "seed/worker.js#WebSocketHibernationServer", new FakeRoomContext())) {
      driver.activate();
      assertThat(driver.connect(a).accepted()).isTrue();
      driver.send(a, "ping");
      driver.send(a, "hello");
      driver.connect(b);
      driver.send(b, "hi from b");
      driver.send(a, "Ping");
      driver.sendBinary(a, new byte[] {1, 2, 3});
      driver.clientCloses(b, 1000, "bye");
      driver.evict();
      driver.activate();
      driver.send(a, "after b left");
      driver.send(a, "ping");
      driver.clientCloses(a, 4000, "done");
    }
    List<String> reference;
    try (var in = SeedRoomTest.class.getResourceAsStream("/seed/transcript-workerd.txt")) {
      reference =
          new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
    }
    for (String client : List.of("A ", "B ")) {
      assertThat(
              transcript.stream()
                  .filter(line -> line.startsWith(client))
                  .map(line -> line.replaceAll(UUID, "<uuid>"))
                  .toList())
          .as("what %sheard", client)
          .containsExactlyElementsOf(
              reference.stream().filter(line -> line.startsWith(client)).toList());
    }
  }
}
