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
 * The seed example (the Cloudflare WebSocket Hibernation Durable Object, verbatim apart from
 * types) served by a local workerd binary, for side-by-side numbers with the same client. workerd
 * comes from the npm package {@code workerd}; nothing of it is kept in the repository.
 */
final class SeedOnWorkerd implements AutoCloseable {

  static final String WORKER_JS =
      """
      import { DurableObject } from "cloudflare:workers";

      export default {
        async fetch(request, env, ctx) {
          if (request.url.endsWith("/websocket")) {
            const upgradeHeader = request.headers.get("Upgrade");
            if (!upgradeHeader || upgradeHeader !== "websocket") {
              return new Response("Worker expected Upgrade: websocket", { status: 426 });
            }
            if (request.method !== "GET") {
              return new Response("Worker expected GET method", { status: 400 });
            }
            let id = env.WEBSOCKET_HIBERNATION_SERVER.idFromName("foo");
            let stub = env.WEBSOCKET_HIBERNATION_SERVER.get(id);
            return stub.fetch(request);
          }
          return new Response(`Supported endpoints:\\n/websocket: Expects a WebSocket upgrade request`,
            { status: 200, headers: { "Content-Type": "text/plain" } });
        },
      };

      export class WebSocketHibernationServer extends DurableObject {
        sessions;
        constructor(ctx, env) {
          super(ctx, env);
          this.sessions = new Map();
          this.ctx.getWebSockets().forEach((ws) => {
            let attachment = ws.deserializeAttachment();
            if (attachment) {
              this.sessions.set(ws, { ...attachment });
            }
          });
          this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
        }

        async fetch(request) {
          const webSocketPair = new WebSocketPair();
          const [client, server] = Object.values(webSocketPair);
          this.ctx.acceptWebSocket(server);
          const id = crypto.randomUUID();
          server.serializeAttachment({ id });
          this.sessions.set(server, { id });
          return new Response(null, { status: 101, webSocket: client });
        }

        async webSocketMessage(ws, message) {
          const session = this.sessions.get(ws);
          ws.send(`[Durable Object] message: ${message}, from: ${session.id}. Total connections: ${this.sessions.size}`);
          this.sessions.forEach((attachment, session) => {
            session.send(`[Durable Object] message: ${message}, from: ${attachment.id}. Total connections: ${this.sessions.size}`);
          });
          this.sessions.forEach((attachment, session) => {
            if (session !== ws) {
              session.send(`[Durable Object] message: ${message}, from: ${attachment.id}. Total connections: ${this.sessions.size}`);
            }
          });
        }

        async webSocketClose(ws, code, reason, wasClean) {
          ws.close(code, "Durable Object is closing WebSocket");
        }
      }
      """;

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
    Files.writeString(dir.resolve("worker.js"), WORKER_JS);
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
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
