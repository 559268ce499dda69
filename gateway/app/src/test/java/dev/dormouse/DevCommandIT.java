package dev.dormouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dormouse.store.LeaseStore;
import dev.dormouse.testing.CustomRoomJar;
import dev.dormouse.testing.DormouseProcess;
import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.ManagedProcess;
import dev.dormouse.testing.RoomManifest;
import dev.dormouse.testing.WsClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local run as a user starts it: {@code java -jar gateway/target/dormouse.jar dev}, a real process. */
class DevCommandIT {

  static final Pattern RUNNING =
      Pattern.compile("ws://localhost:(\\d+)/websocket .*http://localhost:(\\d+)/metrics");

  /** {@code dormouse.jar dev ARGS} on ports of its own choosing. */
  static ManagedProcess dormouse(Path workDir, String... args) throws IOException {
    return dormouse(workDir, Map.of(), args);
  }

  /** The same, with {@code env} in its environment. */
  static ManagedProcess dormouse(Path workDir, Map<String, String> env, String... args)
      throws IOException {
    List<String> command =
        new ArrayList<>(List.of("dev", "--port", "0", "--admin-port", "0", "--publish-port", "0"));
    command.addAll(List.of(args));
    return DormouseProcess.start(workDir, env, command.toArray(String[]::new));
  }

  /** A room file naming {@code handler}, in the folder {@code --rooms} reads. */
  static void roomFile(Path rooms, String name, String handler) throws IOException {
    Files.writeString(
        rooms.resolve(name + ".yaml"),
        """
        apiVersion: dormouse.dev/v1alpha1
        kind: WebSocketRoom
        metadata:
          name: %s
        spec:
          handler: %s
        """
            .formatted(name, handler));
  }

  /** A jar in {@code lib} holding room {@code acme.NAME}, whose onMessage runs {@code onMessage}. */
  static void roomJar(Path lib, String name, String onMessage, Class<?>... compiledAgainst)
      throws IOException {
    CustomRoomJar.write(
        lib.resolve(name + ".jar"),
        "acme." + name,
        """
        package acme;
        import dev.dormouse.room.*;
        public class %s implements Room {
          public void onMessage(RoomSocket socket, Message message) {
            %s
          }
        }
        """
            .formatted(name, onMessage),
        compiledAgainst);
  }

  static final Pattern PUBLISHING =
      Pattern.compile("Publish API: http://localhost:(\\d+)/v1/rooms/\\S+, token (\\S+)");

  static URI ws(Matcher running, String path) {
    return URI.create("ws://127.0.0.1:" + running.group(1) + path);
  }

  @Test
  void servesTheSeedExampleWithEmbeddedRedisAndStopsCleanly() throws Exception {
    try (ManagedProcess process = dormouse(Path.of("../..").toAbsolutePath())) {
      Matcher running = process.awaitLine(RUNNING);
      WsClient client = WsClient.connect(ws(running, "/websocket"));
      client.send("ping");
      assertThat(client.nextText()).isEqualTo("pong");
      client.send("hello");
      assertThat(client.nextText())
          .matches("\\[Durable Object] message: hello, from: .{36}\\. Total connections: 1");
      String metrics =
          LocalRunFixture.get(URI.create("http://127.0.0.1:" + running.group(2) + "/metrics"))
              .body();
      assertThat(metrics).contains("dormouse_gateway_connections 1.0");

      process.sigterm();

      assertThat(client.awaitClose().code()).as("Ctrl-C closes clients with 1001").isEqualTo(1001);
      assertThat(process.waitFor(Duration.ofSeconds(30))).isTrue();
    }
  }

  @Test
  void servesThePublishApiWithThePrintedToken() throws Exception {
    try (ManagedProcess process = dormouse(Path.of("../..").toAbsolutePath())) {
      Matcher running = process.awaitLine(RUNNING);
      Matcher publishing = process.awaitLine(PUBLISHING);
      WsClient client = WsClient.connect(ws(running, "/rooms/echo"));
      client.send("hi");
      assertThat(client.nextText()).isEqualTo("hi");
      HttpResponse<String> answer =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:"
                                  + publishing.group(1)
                                  + "/v1/rooms/echo/messages"))
                      .header("Authorization", "Bearer " + publishing.group(2))
                      .header("Content-Type", "text/plain")
                      .POST(HttpRequest.BodyPublishers.ofString("from a backend"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).isEqualTo(202);
      assertThat(client.nextText()).isEqualTo("from a backend");
    }
  }

  @Test
  void refusesAShortPublishTokenNamingItsVariable() throws Exception {
    try (ManagedProcess process =
        dormouse(Path.of("../..").toAbsolutePath(), Map.of("DORMOUSE_PUBLISH_TOKEN", "short"))) {
      assertThat(process.waitFor(Duration.ofSeconds(60))).isTrue();
      assertThat(process.exitValue()).isEqualTo(2);
      process.awaitLine(Pattern.compile("DORMOUSE_PUBLISH_TOKEN must hold at least 16 bytes"));
    }
  }

  @Test
  void loadsACustomRoomFromAJarInTheLibFolder(@TempDir Path dir) throws Exception {
    Path lib = Files.createDirectories(dir.resolve("lib"));
    Path rooms = Files.createDirectories(dir.resolve("rooms"));
    roomJar(lib, "ShoutRoom", "socket.send(message.text().toUpperCase());");
    roomFile(rooms, "shout", "acme.ShoutRoom");
    try (ManagedProcess process =
        dormouse(dir, "--rooms", rooms.toString(), "--lib", lib.toString())) {
      WsClient client = WsClient.connect(ws(process.awaitLine(RUNNING), "/rooms/shout"));
      client.send("quiet please");
      assertThat(client.nextText()).isEqualTo("QUIET PLEASE");
    }
  }

  /** Without --lib the room library folder is the rooms folder: a jar beside the YAML files loads. */
  @Test
  void loadsARoomJarFromTheRoomsFolderWhenNoLibIsGiven(@TempDir Path dir) throws Exception {
    Path rooms = Files.createDirectories(dir.resolve("rooms"));
    roomJar(rooms, "ShoutRoom", "socket.send(message.text().toUpperCase());");
    roomFile(rooms, "shout", "acme.ShoutRoom");
    try (ManagedProcess process = dormouse(dir, "--rooms", rooms.toString())) {
      WsClient client = WsClient.connect(ws(process.awaitLine(RUNNING), "/rooms/shout"));
      client.send("quiet please");
      assertThat(client.nextText()).isEqualTo("QUIET PLEASE");
    }
  }

  /**
   * A JavaScript room as a user runs one: dormouse.jar with dormouse-js.jar and js-lib/ beside it (as
   * the build leaves them), its module and YAML file side by side in the rooms folder, its env from
   * the spec.
   */
  @Test
  void runsAJavaScriptRoomFromTheRoomsFolder(@TempDir Path dir) throws Exception {
    Path rooms = Files.createDirectories(dir.resolve("rooms"));
    Files.writeString(
        rooms.resolve("shout.mjs"),
        """
        import { DurableObject } from "cloudflare:workers";
        export class Shout extends DurableObject {
          async fetch(request) {
            const [client, server] = Object.values(new WebSocketPair());
            this.ctx.acceptWebSocket(server);
            return new Response(null, { status: 101, webSocket: client });
          }
          webSocketMessage(ws, message) {
            ws.send(this.env.PREFIX + message.toUpperCase());
          }
        }
        """);
    Files.writeString(
        rooms.resolve("shout.yaml"),
        RoomManifest.of("shout", "js:shout.mjs#Shout", "env:\n  PREFIX: 'js says '"));
    try (ManagedProcess process = dormouse(dir, "--rooms", rooms.toString())) {
      WsClient client = WsClient.connect(ws(process.awaitLine(RUNNING), "/rooms/shout"));
      client.send("quiet please");
      assertThat(client.nextText()).isEqualTo("js says QUIET PLEASE");
    }
  }

  /** examples/custom-room, built by this reactor as a room author builds it, run as its README says. */
  @Test
  void runsTheCustomRoomExampleFromItsJar(@TempDir Path dir) throws Exception {
    Path lib = Files.createDirectories(dir.resolve("lib"));
    CustomRoomJar.copyArtifactOf(
        Class.forName("com.example.rooms.CounterRoom"), lib.resolve("custom-room.jar"));
    Path rooms = Path.of("../../examples/custom-room/rooms").toAbsolutePath();
    try (ManagedProcess process =
        dormouse(dir, "--rooms", rooms.toString(), "--lib", lib.toString())) {
      URI counter = ws(process.awaitLine(RUNNING), "/rooms/counter");
      WsClient alice = WsClient.connect(counter);
      WsClient bob = WsClient.connect(counter);
      alice.send("get");
      assertThat(alice.nextText()).isEqualTo("count 0");

      bob.send("+1");

      assertThat(alice.nextText()).isEqualTo("count 1");
      assertThat(bob.nextText()).isEqualTo("count 1");
      alice.send("hello");
      assertThat(alice.nextText()).isEqualTo("unknown command 'hello': send +1 or get");
    }
  }

  @Test
  void refusesARoomJarThatReachesIntoDormouseNamingRoomAndClass(@TempDir Path dir)
      throws Exception {
    Path lib = Files.createDirectories(dir.resolve("lib"));
    Path rooms = Files.createDirectories(dir.resolve("rooms"));
    roomJar(
        lib,
        "SneakyRoom",
        "socket.send(dev.dormouse.store.LeaseStore.class.getName());",
        LeaseStore.class);
    roomFile(rooms, "sneaky", "acme.SneakyRoom");
    try (ManagedProcess process =
        dormouse(dir, "--rooms", rooms.toString(), "--lib", lib.toString())) {
      assertThat(process.waitFor(Duration.ofSeconds(60))).isTrue();
      assertThat(process.exitValue()).isEqualTo(2);
      process.awaitLine(
          Pattern.compile(
              Pattern.quote(
                  rooms.resolve("sneaky.yaml")
                      + ": spec.handler: acme.SneakyRoom "
                      + "cannot be loaded: acme.SneakyRoom uses dev.dormouse.store.LeaseStore, which room code cannot see")));
    }
  }

  @Test
  void refusesABadRoomFileNamingFileAndField(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("broken.yaml"),
        """
        apiVersion: dormouse.dev/v1alpha1
        kind: WebSocketRoom
        metadata:
          name: broken
        spec:
          hibernation:
            idleTimeout: soon
        """);
    try (ManagedProcess process = dormouse(dir, "--rooms", dir.toString())) {
      assertThat(process.waitFor(Duration.ofSeconds(60))).isTrue();
      assertThat(process.exitValue()).isEqualTo(2);
      process.awaitLine(
          Pattern.compile(
              Pattern.quote(dir.resolve("broken.yaml").toString())
                  + ": spec.hibernation.idleTimeout: must be a duration"));
    }
  }
}
