package dev.dormouse.bench;

import dev.dormouse.testing.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Socket.IO 4 server in a Node process of its own: {@code bench/socketio/server.js} (one node,
 * the in-memory adapter, the websocket transport only) in one of its modes, {@code broadcast} or
 * {@code chat}. socket.io comes from an npm prefix outside the repository ({@link SocketIoOptions});
 * Node from the PATH.
 */
final class SocketIoServer implements AutoCloseable {

  private static final String SCRIPT = "/bench/socketio/server.js";

  private final Process process;
  private final int port;
  private final Path dir;

  private SocketIoServer(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  static SocketIoServer start(SocketIoOptions options, String mode)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("dormouse-bench-socketio");
    try (InputStream script = SocketIoServer.class.getResourceAsStream(SCRIPT)) {
      if (script == null) {
        throw new IOException(SCRIPT + " is not on the class path");
      }
      Files.copy(script, dir.resolve("server.js"));
    }
    int port = FreePorts.any();
    // --expose-gc: the memory row collects before reading RSS, as it does in the Dormouse JVM.
    ProcessBuilder builder =
        new ProcessBuilder(List.of("node", "--expose-gc", "server.js", String.valueOf(port), mode))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("node.log").toFile());
    builder
        .environment()
        .put("NODE_PATH", options.prefix().resolve("node_modules").toAbsolutePath().toString());
    SocketIoServer server = new SocketIoServer(builder.start(), port, dir);
    server.awaitListening();
    return server;
  }

  /** Waits for the script's "listening" line: it prints it once the port is bound. */
  private void awaitListening() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!log().contains("listening " + port)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        String log = log();
        close();
        throw new IOException("Socket.IO server did not start: " + log);
      }
      TimeUnit.MILLISECONDS.sleep(50); // polling its log: a child's stdout is a file here
    }
  }

  private String log() throws IOException {
    return Files.readString(dir.resolve("node.log"));
  }

  /** The websocket transport's URL: no HTTP long-polling first. */
  String ws() {
    return "ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket";
  }

  long pid() {
    return process.pid();
  }

  /** A full collection in the Node process (the script's SIGUSR2 handler calls gc()). */
  void collectGarbage() throws IOException, InterruptedException {
    long collections = collectionsLogged();
    Process kill = new ProcessBuilder("kill", "-USR2", String.valueOf(pid())).start();
    if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IOException("could not signal the Socket.IO server");
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (collectionsLogged() == collections) {
      if (System.nanoTime() > deadline) {
        throw new IOException("the Socket.IO server did not collect: " + log());
      }
      TimeUnit.MILLISECONDS.sleep(20); // polling its log for the "collected" line
    }
  }

  private long collectionsLogged() throws IOException {
    return log().lines().filter(line -> line.startsWith("collected")).count();
  }

  /** "Socket.IO 4.x.y (Node vN)", from the installed package and the node binary. */
  static String version(SocketIoOptions options) {
    String version = "unknown";
    try {
      Matcher m =
          Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"")
              .matcher(Files.readString(options.packageJson()));
      if (m.find()) {
        version = m.group(1);
      }
      Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      String nodeVersion = new String(node.getInputStream().readAllBytes()).trim();
      node.waitFor(5, TimeUnit.SECONDS);
      return "Socket.IO " + version + " (Node " + nodeVersion + ")";
    } catch (IOException e) {
      return "Socket.IO " + version;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "Socket.IO " + version;
    }
  }

  @Override
  public void close() throws IOException {
    ServerProcesses.stop(process);
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }
}
