package dev.dormouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.crd.v1alpha1.RoomPhase;
import dev.dormouse.crd.v1alpha1.WebSocketRoomStatus;
import dev.dormouse.e2e.cluster.DormouseCluster;
import dev.dormouse.e2e.cluster.DormouseCluster.Gateway;
import dev.dormouse.e2e.cluster.PodRunner.RunningPod;
import dev.dormouse.e2e.cluster.ProcessLogs;
import dev.dormouse.testing.RawWebSocket;
import dev.dormouse.testing.RoomManifest;
import dev.dormouse.testing.SeedTranscript;
import dev.dormouse.testing.WsClient;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * JavaScript rooms as a Kubernetes user ships them: the module in a ConfigMap, which the operator
 * mounts into the owner pods (the pod runner writes it where the pod's room library folder is), no
 * image built. Its own harness, because the seed's route {@code /websocket} is room {@code example}.
 * See docs/e2e.md.
 */
@ExtendWith(ProcessLogs.class)
class JavaScriptRoomsOnKubernetesIT {

  static final Duration WAIT = Duration.ofSeconds(30);
  static final Duration REPLY = Duration.ofSeconds(15);

  /** An owner JVM starting, then GraalJS compiling the module. */
  static final Duration WAKE = Duration.ofSeconds(90);

  static DormouseCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = DormouseCluster.start(1);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void theSeedsOwnJavaScriptFromAConfigMapWokenFromZeroGivesTheWorkerdTranscript()
      throws Exception {
    String worker = Files.readString(seedWorker(), StandardCharsets.UTF_8);
    configMap("seed", "worker.js", worker);
    cluster.apply(
        RoomManifest.of(
            "example",
            "js:seed/worker.js#WebSocketHibernationServer",
            """
        code:
          configMap: seed
        hibernation:
          idleTimeout: 2s
          scaleToZeroAfter: never
        owners:
          minReplicas: 0
        """));
    Gateway gateway = cluster.gateway(0);
    awaitStatus("example", s -> s.getPhase() == RoomPhase.Hibernated);
    cluster.awaitServed(gateway, "/websocket");
    assertThat(cluster.ownerPods("example"))
        .as("owner pods at zero before the first client")
        .isEmpty();

    double[] revivals = new double[1];
    List<String> transcript =
        SeedTranscript.record(
            new SeedTranscript.Target(
                path -> DormouseCluster.get(gateway.http(path)).statusCode(),
                path -> WsClient.connect(gateway.ws(path), WAKE),
                () -> {
                  RunningPod owner = theOwner();
                  await().atMost(WAIT).until(() -> owner.metric("dormouse_evictions_total") > 0);
                  revivals[0] = owner.metric("dormouse_revivals_total");
                }),
            REPLY,
            WAIT);

    assertThat(transcript).containsExactlyElementsOf(SeedTranscript.reference());
    assertThat(theOwner().metric("dormouse_revivals_total"))
        .as("the JavaScript instance came back from Redis after its eviction")
        .isEqualTo(revivals[0] + 1);
    // The module the owner ran is the ConfigMap's, byte for byte.
    assertThat(Files.readString(mountedFile(theOwner(), "seed", "worker.js"))).isEqualTo(worker);
    assertThat(worker).isEqualTo(Files.readString(seedWorker()));
  }

  @Test
  void aModuleThatFailsToCompileMakesTheRoomDegradedWithItsFileAndLineAndClientsGet503()
      throws Exception {
    configMap(
        "broken-code",
        "room.js",
        """
        import { DurableObject } from "cloudflare:workers";
        export class Room extends DurableObject {
          fetch(request) {
            return new Response("never" ;
          }
        }
        """);
    cluster.apply(
        RoomManifest.of(
            "broken-js",
            "js:broken-code/room.js#Room",
            """
        code:
          configMap: broken-code
        owners:
          minReplicas: 1
        """));

    WebSocketRoomStatus degraded =
        awaitStatus(
            "broken-js",
            s -> s.getPhase() == RoomPhase.Degraded && "CodeFailed".equals(ready(s).getReason()));
    String error = ready(degraded).getMessage();
    assertThat(ready(degraded).getStatus()).isEqualTo("False");
    assertThat(error).as("file and line").contains("broken-code/room.js:4").contains("SyntaxError");
    await()
        .atMost(WAIT)
        .until(
            () -> cluster.events("broken-js"),
            events ->
                events.stream()
                    .anyMatch(
                        e ->
                            e.getType().equals("Warning")
                                && e.getReason().equals("CodeFailed")
                                && e.getMessage().equals(error)));

    Gateway gateway = cluster.gateway(0);
    cluster.awaitServed(gateway, "/rooms/broken-js");
    try (RawWebSocket upgrade =
        RawWebSocket.open(
            new InetSocketAddress(gateway.host(), gateway.port()), "GET", "/rooms/broken-js")) {
      assertThat(upgrade.status()).isEqualTo(503);
      assertThat(upgrade.body()).contains("room code failed to load: " + error);
    }
    assertThat(DormouseCluster.get(gateway.http("/rooms/broken-js")).statusCode()).isEqualTo(503);
    assertThat(cluster.pods().running("broken-js"))
        .as("the owner stays up for its other rooms")
        .hasSize(1);
    assertThat(cluster.events("broken-js"))
        .filteredOn(e -> e.getReason().equals("CodeFailed"))
        .as("one Warning, not one per reconcile")
        .hasSize(1);
  }

  static Path seedWorker() {
    return Path.of(System.getProperty("dormouse.seedWorker", "../examples/rooms/seed/worker.js"));
  }

  static void configMap(String name, String key, String content) {
    cluster
        .client()
        .configMaps()
        .inNamespace(DormouseCluster.NAMESPACE)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .addToData(key, content)
                .build())
        .create();
  }

  static RunningPod theOwner() {
    List<RunningPod> running = cluster.pods().running("example");
    assertThat(running).hasSize(1);
    return running.get(0);
  }

  /** Where the pod runner wrote a ConfigMap key that the pod has at /opt/dormouse/lib/NAME/KEY. */
  static Path mountedFile(RunningPod pod, String configMap, String key) {
    return Path.of(System.getProperty("dormouse.e2ePods", "target/e2e-pods"))
        .resolve(pod.name())
        .resolve("lib")
        .resolve(configMap)
        .resolve(key);
  }

  static Condition ready(WebSocketRoomStatus status) {
    return status.getConditions().stream()
        .filter(c -> c.getType().equals(WebSocketRoomStatus.CONDITION_READY))
        .findFirst()
        .orElseThrow();
  }

  static WebSocketRoomStatus awaitStatus(String room, Predicate<WebSocketRoomStatus> until) {
    return cluster.awaitStatus(room, WAKE, until);
  }
}
