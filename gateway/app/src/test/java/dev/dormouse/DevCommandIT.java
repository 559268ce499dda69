package dev.dormouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dormouse.store.LeaseStore;
import dev.dormouse.testing.CustomRoomJar;
import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.WsClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local run as a user starts it: {@code java -jar gateway/target/dormouse.jar dev}, a real process. */
class DevCommandIT {

  static final Pattern RUNNING = Pattern.compile("ws://localhost:(\\d+)/websocket .*http://localhost:(\\d+)/metrics");

  static Process dormouse(Path workDir, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), "-jar",
        Path.of(System.getProperty("dormouse.jar", "../target/dormouse.jar")).toAbsolutePath().toString(), "dev"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    builder.environment().remove("REDIS_URL");
    return builder.start();
  }

  static BlockingQueue<String> lines(Process process) {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        in.lines().forEach(lines::add);
      } catch (IOException e) {
        lines.add("read failed: " + e);
      }
    });
    reader.setDaemon(true);
    reader.start();
    return lines;
  }

  static Matcher awaitLine(BlockingQueue<String> lines, Pattern pattern) throws InterruptedException {
    List<String> seen = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      String line = lines.poll(1, TimeUnit.SECONDS);
      if (line != null) {
        seen.add(line);
        Matcher matcher = pattern.matcher(line);
        if (matcher.find()) {
          return matcher;
        }
      }
    }
    throw new AssertionError("no line matching " + pattern + " in:\n" + String.join("\n", seen));
  }

  @Test
  void servesTheSeedExampleWithEmbeddedRedisAndStopsCleanly() throws Exception {
    Process process = dormouse(Path.of("../..").toAbsolutePath(), "--port", "0", "--admin-port", "0");
    try {
      Matcher running = awaitLine(lines(process), RUNNING);
      String port = running.group(1);
      WsClient client = WsClient.connect(URI.create("ws://127.0.0.1:" + port + "/websocket"));
      client.send("ping");
      assertThat(client.nextText()).isEqualTo("pong");
      client.send("hello");
      assertThat(client.nextText()).matches("\\[Durable Object] message: hello, from: .{36}\\. Total connections: 1");
      String metrics = LocalRunFixture.get(URI.create("http://127.0.0.1:" + running.group(2) + "/metrics")).body();
      assertThat(metrics).contains("dormouse_gateway_connections 1.0");

      process.destroy();

      assertThat(client.awaitClose().code()).as("Ctrl-C closes clients with 1001").isEqualTo(1001);
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void loadsACustomRoomFromAJarInTheLibFolder(@TempDir Path dir) throws Exception {
    Path lib = Files.createDirectories(dir.resolve("lib"));
    Path rooms = Files.createDirectories(dir.resolve("rooms"));
    CustomRoomJar.write(lib.resolve("shout.jar"), "acme.ShoutRoom", """
        package acme;
        import dev.dormouse.room.*;
        public class ShoutRoom implements Room {
          public void onMessage(RoomSocket socket, Message message) {
            socket.send(message.text().toUpperCase());
          }
        }
        """);
    Files.writeString(rooms.resolve("shout.yaml"), """
        apiVersion: dormouse.dev/v1alpha1
        kind: WebSocketRoom
        metadata:
          name: shout
        spec:
          handler: acme.ShoutRoom
        """);
    Process process = dormouse(dir, "--rooms", rooms.toString(), "--lib", lib.toString(), "--port", "0",
        "--admin-port", "0");
    try {
      String port = awaitLine(lines(process), RUNNING).group(1);
      WsClient client = WsClient.connect(URI.create("ws://127.0.0.1:" + port + "/rooms/shout"));
      client.send("quiet please");
      assertThat(client.nextText()).isEqualTo("QUIET PLEASE");
    } finally {
      process.destroy();
      process.waitFor(30, TimeUnit.SECONDS);
      process.destroyForcibly();
    }
  }

  /** examples/custom-room, built by this reactor as a room author builds it, run as its README says. */
  @Test
  void runsTheCustomRoomExampleFromItsJar(@TempDir Path dir) throws Exception {
    Path lib = Files.createDirectories(dir.resolve("lib"));
    CustomRoomJar.copyArtifactOf(Class.forName("com.example.rooms.CounterRoom"), lib.resolve("custom-room.jar"));
    Process process = dormouse(dir, "--rooms", Path.of("../../examples/custom-room/rooms").toAbsolutePath().toString(),
        "--lib", lib.toString(), "--port", "0", "--admin-port", "0");
    try {
      String port = awaitLine(lines(process), RUNNING).group(1);
      URI counter = URI.create("ws://127.0.0.1:" + port + "/rooms/counter");
      WsClient alice = WsClient.connect(counter);
      WsClient bob = WsClient.connect(counter);
      alice.send("get");
      assertThat(alice.nextText()).isEqualTo("count 0");

      bob.send("+1");

      assertThat(alice.nextText()).isEqualTo("count 1");
      assertThat(bob.nextText()).isEqualTo("count 1");
      alice.send("hello");
      assertThat(alice.nextText()).isEqualTo("unknown command 'hello': send +1 or get");
    } finally {
      process.destroy();
      process.waitFor(30, TimeUnit.SECONDS);
      process.destroyForcibly();
    }
  }

  @Test
  void refusesARoomJarThatReachesIntoDormouseNamingRoomAndClass(@TempDir Path dir) throws Exception {
    Path lib = Files.createDirectories(dir.resolve("lib"));
    Path rooms = Files.createDirectories(dir.resolve("rooms"));
    CustomRoomJar.write(lib.resolve("sneaky.jar"), "acme.SneakyRoom", """
        package acme;
        import dev.dormouse.room.*;
        public class SneakyRoom implements Room {
          public void onMessage(RoomSocket socket, Message message) {
            socket.send(dev.dormouse.store.LeaseStore.class.getName());
          }
        }
        """, LeaseStore.class);
    Files.writeString(rooms.resolve("sneaky.yaml"), """
        apiVersion: dormouse.dev/v1alpha1
        kind: WebSocketRoom
        metadata:
          name: sneaky
        spec:
          handler: acme.SneakyRoom
        """);
    Process process = dormouse(dir, "--rooms", rooms.toString(), "--lib", lib.toString(), "--port", "0",
        "--admin-port", "0");
    BlockingQueue<String> output = lines(process);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    awaitLine(output, Pattern.compile(Pattern.quote(rooms.resolve("sneaky.yaml") + ": spec.handler: acme.SneakyRoom "
        + "cannot be loaded: acme.SneakyRoom uses dev.dormouse.store.LeaseStore, which room code cannot see")));
  }

  @Test
  void refusesABadRoomFileNamingFileAndField(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("broken.yaml"), """
        apiVersion: dormouse.dev/v1alpha1
        kind: WebSocketRoom
        metadata:
          name: broken
        spec:
          hibernation:
            idleTimeout: soon
        """);
    Process process = dormouse(dir, "--rooms", dir.toString(), "--port", "0", "--admin-port", "0");
    BlockingQueue<String> output = lines(process);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    awaitLine(output, Pattern.compile(Pattern.quote(dir.resolve("broken.yaml").toString())
        + ": spec.hibernation.idleTimeout: must be a duration"));
  }
}
