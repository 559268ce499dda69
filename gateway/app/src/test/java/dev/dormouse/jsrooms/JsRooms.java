package dev.dormouse.jsrooms;

import static org.awaitility.Awaitility.await;

import dev.dormouse.testing.LocalRunFixture;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * What the JavaScript rooms' tests share: a local run whose room library folder holds the test's
 * modules, and the wait for a real eviction (the instance left memory, its sockets stayed open).
 */
final class JsRooms {

  /** The prelude of every test module: the class a Durable Object extends. */
  static final String IMPORT = "import { DurableObject } from \"cloudflare:workers\";\n";

  /** A fetch() that accepts every upgrade with the tags of its {@code ?tag=} parameters. */
  static final String ACCEPT =
      """
        async fetch(request) {
          const tags = new URL(request.url).searchParams.getAll("tag");
          const [client, server] = Object.values(new WebSocketPair());
          this.ctx.acceptWebSocket(server, tags);
          return new Response(null, { status: 101, webSocket: client });
        }
      """;

  private JsRooms() {}

  /** A local run serving {@code rooms} (manifests), with {@code source} as {@code file} in its library. */
  static LocalRunFixture start(String file, String source, String... rooms) throws IOException {
    return LocalRunFixture.startWithLibrary(Map.of(file, source), rooms);
  }

  /** A local run serving one room {@code name}: class {@code export} of {@code file}, whose text is given. */
  static LocalRunFixture start(
      String name, String file, String export, String source, String specExtra) throws IOException {
    return start(file, source, LocalRunFixture.room(name, "js:" + file + "#" + export, specExtra));
  }

  /**
   * Waits until the run evicted an instance since {@code evictionsBefore} and none is in memory:
   * the next event must construct the class again.
   */
  static void awaitEviction(LocalRunFixture dormouse, double evictionsBefore) {
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                dormouse.run().metrics().evictions() > evictionsBefore
                    && dormouse.run().runtime().activeInstances() == 0);
  }

  /** {@link #awaitEviction(LocalRunFixture, double)} from now. */
  static void awaitEviction(LocalRunFixture dormouse) {
    awaitEviction(dormouse, dormouse.run().metrics().evictions());
  }
}
