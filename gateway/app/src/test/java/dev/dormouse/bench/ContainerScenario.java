package dev.dormouse.bench;

import dev.dormouse.store.EmbeddedRedis;
import dev.dormouse.testing.PrometheusText;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Issue 16's footprint of the image: its size, how long a gateway and an owner container take from
 * {@code docker run} to a 200 from {@code /readyz}, and each container's memory idle and while the
 * gateway holds {@code --container-sockets} hibernated sockets (their instance evicted from the
 * owner). Redis is the embedded one on loopback; the owner serves rooms from files, the gateway has
 * it as its static owner: the same roles and image as on Kubernetes, without an API server.
 */
final class ContainerScenario {

  private static final String ROOMS =
      """
      apiVersion: dormouse.dev/v1alpha1
      kind: WebSocketRoom
      metadata:
        name: idle
      spec:
        handler: echo
        instances: true
        hibernation:
          idleTimeout: 1s
      """;

  /** The chart's gateway memory limit (values.yaml gateway.resources); owners get the same here. */
  private static final String MEMORY_LIMIT = "1g";

  private static final long MIB = 1024 * 1024;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final BenchOptions options;
  private final Report report;

  ContainerScenario(BenchOptions options, Report report) {
    this.options = options;
    this.report = report;
  }

  void run() throws Exception {
    String image = options.containers().image();
    report.line("### containers: `" + image + "`, a gateway and an owner container");
    report.line("");
    report.line(
        String.format(
            "Image size %.0f MB (`docker image inspect`). Both containers `--network host"
                + " --read-only --tmpfs /tmp --memory %s`, UID 10001 from the image.",
            BenchContainer.imageSize(image) / 1e6, MEMORY_LIMIT));
    report.line("");
    Path dir = Files.createTempDirectory("bench-containers");
    Files.writeString(dir.resolve("idle.yaml"), ROOMS);
    // The image's user (10001) reads the mounted rooms folder.
    dir.toFile().setReadable(true, false);
    dir.toFile().setExecutable(true, false);
    dir.resolve("idle.yaml").toFile().setReadable(true, false);
    String suffix = Long.toString(ProcessHandle.current().pid());
    try (EmbeddedRedis redis = EmbeddedRedis.start()) {
      int linkPort = EmbeddedRedis.freePort();
      int ownerAdmin = EmbeddedRedis.freePort();
      int port = EmbeddedRedis.freePort();
      int gatewayAdmin = EmbeddedRedis.freePort();
      Map<String, String> common =
          Map.of(
              "REDIS_URL", redis.url(),
              "DORMOUSE_LINK_SECRET", "bench-containers-link-secret-0123456789abcdef",
              "DORMOUSE_ROOMS_DIR", "/rooms",
              "DORMOUSE_BIND_ADDRESS", "127.0.0.1");
      List<String> mounts = List.of(dir + ":/rooms:ro");
      try (BenchContainer owner =
          BenchContainer.run(
              "bench-owner-" + suffix,
              image,
              MEMORY_LIMIT,
              with(
                  common,
                  Map.of(
                      "DORMOUSE_OWNER_ID", "owner-0",
                      "DORMOUSE_LINK_PORT", Integer.toString(linkPort),
                      "DORMOUSE_ADMIN_PORT", Integer.toString(ownerAdmin))),
              mounts,
              "owner")) {
        // One after the other: each start has the machine's 2 cores to itself.
        Duration ownerReady = owner.awaitOk(admin(ownerAdmin, "/readyz"), READY_TIMEOUT);
        try (BenchContainer gateway =
            BenchContainer.run(
                "bench-gateway-" + suffix,
                image,
                MEMORY_LIMIT,
                with(
                    common,
                    Map.of(
                        "DORMOUSE_GATEWAY_ID",
                        "gateway-0",
                        "DORMOUSE_PORT",
                        Integer.toString(port),
                        "DORMOUSE_ADMIN_PORT",
                        Integer.toString(gatewayAdmin),
                        "DORMOUSE_OWNERS",
                        "127.0.0.1:" + linkPort)),
                mounts,
                "gateway")) {
          Duration gatewayReady = gateway.awaitOk(admin(gatewayAdmin, "/readyz"), READY_TIMEOUT);
          measure(owner, ownerReady, ownerAdmin, gateway, gatewayReady, port);
        }
      }
    } finally {
      Files.deleteIfExists(dir.resolve("idle.yaml"));
      Files.deleteIfExists(dir);
    }
  }

  private void measure(
      BenchContainer owner,
      Duration ownerReady,
      int ownerAdmin,
      BenchContainer gateway,
      Duration gatewayReady,
      int port)
      throws IOException, InterruptedException {
    int sockets = options.containers().sockets();
    long ownerIdle = owner.memory();
    long gatewayIdle = gateway.memory();
    long ownerHeld;
    long gatewayHeld;
    double openSeconds;
    try (ClientProcess client = ClientProcess.start(options.clientLoops())) {
      long opening = System.nanoTime();
      Map<String, String> opened =
          client.call("open ws://127.0.0.1:" + port + "/rooms/idle/m0 " + sockets);
      openSeconds = (System.nanoTime() - opening) / 1e9;
      if (!opened.get("failed").equals("0")) {
        throw new IOException(
            opened.get("failed") + " of " + sockets + " failed: " + opened.get("firstFailure"));
      }
      awaitHibernated(ownerAdmin);
      ownerHeld = owner.memory();
      gatewayHeld = gateway.memory();
      client.call("closeall");
    }
    report.line(
        "| container | `docker run` → `/readyz` 200 | memory idle | memory with "
            + sockets
            + " hibernated sockets |");
    report.line("|---|---|---|---|");
    row("gateway", gatewayReady, gatewayIdle, gatewayHeld);
    row("owner", ownerReady, ownerIdle, ownerHeld);
    report.line("");
    report.line(
        String.format(
            "The %d sockets took %.1f s to open; their instance was evicted (the owner's"
                + " `dormouse_instances_active` 0) before the second reading. The gateway"
                + " holds %.2f KiB more per socket.",
            sockets, openSeconds, (gatewayHeld - gatewayIdle) / 1024.0 / sockets));
    report.line("");
  }

  private void row(String container, Duration ready, long idle, long held) {
    report.line(
        String.format(
            "| %s | %.2f s | %.0f MiB | %.0f MiB |",
            container, ready.toMillis() / 1000.0, idle / (double) MIB, held / (double) MIB));
  }

  private static Map<String, String> with(Map<String, String> common, Map<String, String> more) {
    Map<String, String> env = new java.util.HashMap<>(common);
    env.putAll(more);
    return env;
  }

  private static URI admin(int port, String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** Until the owner evicted an instance and holds none. */
  private static void awaitHibernated(int ownerAdmin) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      String page =
          HTTP.send(
                  HttpRequest.newBuilder(admin(ownerAdmin, "/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      if (PrometheusText.sum(page, "dormouse_evictions_total") >= 1
          && PrometheusText.sum(page, "dormouse_instances_active") == 0) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(100); // polling a metric: the owner offers no callback
    }
    throw new IOException("the owner did not evict the instance within 60 s");
  }
}
