package dev.dormouse.bench;

import dev.dormouse.testing.FreePorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The seed example (the Cloudflare WebSocket Hibernation Durable Object: the seed's own worker.js,
 * as examples/rooms ships it) served by a local workerd binary, for side-by-side numbers with the
 * same client. workerd comes from the npm package {@code workerd}; nothing of it is kept in the
 * repository.
 */
final class SeedOnWorkerd implements AutoCloseable {

  private static final String CONFIG =
      """
      using Workerd = import "/workerd/workerd.capnp";

      const config :Workerd.Config = (
        services = [ (name = "main", worker = .seedWorker) ],
        sockets = [ (name = "http", address = "127.0.0.1:%d", http = (), service = "main") ],
      );

      const seedWorker :Workerd.Worker = (
        modules = [ (name = "worker.js", esModule = embed "worker.js") ],
        compatibilityDate = "2024-09-23",
        durableObjectNamespaces = [
          (className = "WebSocketHibernationServer", uniqueKey = "dormouse-bench-seed"),
        ],
        durableObjectStorage = (inMemory = void),
        bindings = [ (name = "WEBSOCKET_HIBERNATION_SERVER", durableObjectNamespace = "WebSocketHibernationServer") ],
      );
      """;

  private final Process process;
  private final int port;
  private final Path dir;

  private SeedOnWorkerd(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  static SeedOnWorkerd start(Path workerd) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("dormouse-bench-seed");
    Files.copy(BenchServer.SEED_MODULE, dir.resolve("worker.js"));
    int port = FreePorts.any();
    Files.writeString(dir.resolve("config.capnp"), CONFIG.formatted(port));
    Process process =
        new ProcessBuilder(List.of(workerd.toString(), "serve", "config.capnp"))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("workerd.log").toFile())
            .start();
    SeedOnWorkerd seed = new SeedOnWorkerd(process, port, dir);
    seed.awaitListening();
    return seed;
  }

  private void awaitListening() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          close();
          throw new IOException(
              "workerd did not listen: " + Files.readString(dir.resolve("workerd.log")));
        }
        TimeUnit.MILLISECONDS.sleep(50); // polling a port: the process signals nothing when ready
      }
    }
  }

  long pid() {
    return process.pid();
  }

  String ws(String path) {
    return "ws://127.0.0.1:" + port + path;
  }

  static String version(Path workerd) {
    try {
      Process p =
          new ProcessBuilder(workerd.toString(), "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      p.waitFor(5, TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  @Override
  public void close() {
    ServerProcesses.stop(process);
  }
}
