package dev.dormouse.testing;

import dev.dormouse.gateway.EdgeSettings;
import dev.dormouse.local.LocalRun;
import dev.dormouse.store.EmbeddedRedis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The local run on free ports against a real Redis of the test's own — one server, or a
 * three-primary Redis Cluster — with the rooms the test declares as WebSocketRoom YAML.
 */
public final class LocalRunFixture implements AutoCloseable {

  /** One of the two is set: the fixture's one server, or its cluster. */
  private final EmbeddedRedis redis;

  private final EmbeddedRedisCluster redisCluster;
  private final Path dir;
  private LocalRun run;

  /** What the admin page's buttons need, if anything. */
  private Optional<byte[]> adminToken = Optional.empty();

  private LocalRunFixture(EmbeddedRedis redis, EmbeddedRedisCluster redisCluster, Path dir) {
    this.redis = redis;
    this.redisCluster = redisCluster;
    this.dir = dir;
  }

  /** Starts Redis and a local run serving {@code rooms} (one YAML document each). */
  public static LocalRunFixture start(String... rooms) throws IOException {
    return start(Duration.ofSeconds(30), rooms);
  }

  public static LocalRunFixture start(Duration wakeTimeout, String... rooms) throws IOException {
    return start(wakeTimeout, EdgeSettings.defaults(), rooms);
  }

  /** With the gateway's own limits on client connections set by the test (short timeouts). */
  public static LocalRunFixture start(EdgeSettings edge, String... rooms) throws IOException {
    return start(Duration.ofSeconds(30), edge, rooms);
  }

  private static LocalRunFixture start(Duration wakeTimeout, EdgeSettings edge, String... rooms)
      throws IOException {
    Path dir = roomsDir(rooms);
    return start(new LocalRunFixture(EmbeddedRedis.start(), null, dir), wakeTimeout, edge);
  }

  /**
   * The same, with {@code library} (a path inside the room library folder → its text, e.g. a
   * JavaScript room's module) written there first.
   */
  public static LocalRunFixture startWithLibrary(Map<String, String> library, String... rooms)
      throws IOException {
    Path dir = roomsDir(rooms);
    for (Map.Entry<String, String> file : library.entrySet()) {
      Path path = dir.resolve("lib").resolve(file.getKey());
      Files.createDirectories(path.getParent());
      Files.writeString(path, file.getValue());
    }
    return start(
        new LocalRunFixture(EmbeddedRedis.start(), null, dir),
        Duration.ofSeconds(30),
        EdgeSettings.defaults());
  }

  /** With an admin token: the admin API's POSTs need it ({@code docs/admin.md}). */
  public static LocalRunFixture startWithAdminToken(byte[] token, String... rooms)
      throws IOException {
    LocalRunFixture fixture = new LocalRunFixture(EmbeddedRedis.start(), null, roomsDir(rooms));
    fixture.adminToken = Optional.of(token);
    return start(fixture, Duration.ofSeconds(30), EdgeSettings.defaults());
  }

  /** The same over a three-primary Redis Cluster of its own, stopped with the fixture. */
  public static LocalRunFixture startOnRedisCluster(String... rooms) throws IOException {
    Path dir = roomsDir(rooms);
    return start(
        new LocalRunFixture(null, EmbeddedRedisCluster.start(), dir),
        Duration.ofSeconds(30),
        EdgeSettings.defaults());
  }

  private static Path roomsDir(String... rooms) throws IOException {
    Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "rooms");
    Files.createDirectories(dir.resolve("rooms"));
    for (int i = 0; i < rooms.length; i++) {
      Files.writeString(dir.resolve("rooms").resolve("room" + i + ".yaml"), rooms[i]);
    }
    return dir;
  }

  private static LocalRunFixture start(
      LocalRunFixture fixture, Duration wakeTimeout, EdgeSettings edge) throws IOException {
    try {
      fixture.startRun(wakeTimeout, edge);
    } catch (IOException | RuntimeException e) {
      fixture.stopRedis();
      throw e;
    }
    return fixture;
  }

  private void startRun(Duration wakeTimeout, EdgeSettings edge) throws IOException {
    run =
        LocalRun.start(
            new LocalRun.Config(
                Optional.of(dir.resolve("rooms")),
                dir.resolve("lib"),
                "127.0.0.1",
                0,
                0,
                Optional.of(redis != null ? redis.url() : redisCluster.url()),
                dir.resolve("secrets"),
                "example",
                wakeTimeout,
                1L << 20,
                4,
                edge,
                adminToken));
  }

  /** The probe room with instances kept in memory for 30 s, so a test's rooms do not hibernate under it. */
  public static final String PROBE_ROOM_IN_MEMORY =
      room(
          "probe",
          "dev.dormouse.testing.ProbeRoom",
          """
          instances: true
          hibernation:
            idleTimeout: 30s
          """);

  /** A WebSocketRoom manifest. */
  public static String room(String name, String handler, String specExtra) {
    return RoomManifest.of(name, handler, specExtra);
  }

  public Path secretsDir() {
    return dir.resolve("secrets");
  }

  public LocalRun run() {
    return run;
  }

  /** The one redis-server; a fixture over a Redis Cluster has none. */
  public EmbeddedRedis redis() {
    if (redis == null) {
      throw new IllegalStateException("this local run is over a Redis Cluster");
    }
    return redis;
  }

  /** The Redis Cluster of a fixture started on one. */
  public EmbeddedRedisCluster redisCluster() {
    if (redisCluster == null) {
      throw new IllegalStateException("this local run is over one redis-server");
    }
    return redisCluster;
  }

  public URI ws(String path) {
    return URI.create("ws://127.0.0.1:" + run.gatewayAddress().getPort() + path);
  }

  public URI http(String path) {
    return URI.create("http://127.0.0.1:" + run.gatewayAddress().getPort() + path);
  }

  public URI admin(String path) {
    return URI.create("http://127.0.0.1:" + run.adminAddress().getPort() + path);
  }

  public static HttpResponse<String> get(URI uri) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Stops the local run only (clients get 1001); Redis stays up for inspection. */
  public void stopRun() throws IOException {
    run.close();
  }

  @Override
  public void close() throws IOException {
    try {
      if (run != null) {
        run.close();
      }
    } finally {
      stopRedis();
    }
  }

  private void stopRedis() throws IOException {
    if (redis != null) {
      redis.stop();
    } else {
      redisCluster.close();
    }
  }
}
