package dev.dormouse.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Cloudflare's example driven by the client steps of the reference transcript recorded on workerd
 * ({@code seed/transcript-workerd.txt}), against whichever Dormouse a test runs: the local run or the
 * whole system on the Kubernetes mock. The transcript must come out the same, line for line.
 */
public final class SeedTranscript {

  static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

  /**
   * What the steps need of the Dormouse under test, serving the example at {@code /websocket}: the
   * status of a plain GET, a connected client, and a wait that returns once the room has been evicted
   * (observed, never slept on).
   */
  public record Target(
      HttpStatus httpStatus, Function<String, WsClient> connect, Step awaitHibernation) {}

  /** The status a plain GET of {@code path} is answered with. */
  @FunctionalInterface
  public interface HttpStatus {
    int of(String path) throws IOException, InterruptedException;
  }

  /** One step of the test's own. */
  @FunctionalInterface
  public interface Step {
    void run() throws Exception;
  }

  private SeedTranscript() {}

  /**
   * Runs the steps; each reply may take {@code reply}, each close {@code close}. UUIDs come back as
   * {@code <uuid>}, as the reference has them.
   */
  public static List<String> record(Target target, Duration reply, Duration close)
      throws Exception {
    List<String> transcript = new ArrayList<>();
    // 1. plain HTTP
    for (String path : List.of("/", "/websocket", "/other")) {
      transcript.add("GET " + path + " -> " + target.httpStatus().of(path));
    }
    // 2. socket A: ping, hello
    WsClient a = target.connect().apply("/websocket");
    a.send("ping");
    receive(transcript, "A", a, 1, reply);
    a.send("hello");
    receive(transcript, "A", a, 2, reply);
    // 3. socket B joins; B speaks, then A says Ping (no auto-response: case matters)
    WsClient b = target.connect().apply("/websocket");
    b.send("hi from b");
    receive(transcript, "B", b, 2, reply);
    receive(transcript, "A", a, 2, reply);
    a.send("Ping");
    receive(transcript, "A", a, 2, reply);
    receive(transcript, "B", b, 2, reply);
    // 4. a binary frame of three bytes
    a.send(new byte[] {1, 2, 3});
    receive(transcript, "A", a, 2, reply);
    receive(transcript, "B", b, 2, reply);
    // 5. B leaves
    b.close(1000, "bye");
    WsClient.Close bClosed = b.awaitClose(close);
    transcript.add("B closed " + bClosed.code() + " \"" + bClosed.reason() + "\"");
    // 6. the room hibernates; A wakes it, then pings
    target.awaitHibernation().run();
    a.send("after b left");
    receive(transcript, "A", a, 2, reply);
    a.send("ping");
    receive(transcript, "A", a, 1, reply);
    // 7. A leaves with its own code
    a.close(4000, "custom");
    WsClient.Close aClosed = a.awaitClose(close);
    transcript.add("A closed " + aClosed.code() + " \"" + aClosed.reason() + "\"");
    return transcript.stream().map(line -> line.replaceAll(UUID, "<uuid>")).toList();
  }

  /** The workerd reference; HTTP lines compare status codes only (the bodies may name Dormouse's endpoints). */
  public static List<String> reference() {
    try (InputStream in =
        SeedTranscript.class.getResourceAsStream("/seed/transcript-workerd.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .map(line -> line.startsWith("GET ") ? line.replaceAll(" \".*\"$", "") : line)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void receive(
      List<String> transcript, String name, WsClient client, int count, Duration reply) {
    for (int i = 0; i < count; i++) {
      transcript.add(name + " <- " + client.nextText(reply));
    }
  }
}
