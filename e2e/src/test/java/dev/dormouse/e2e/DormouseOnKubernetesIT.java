package dev.dormouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.crd.v1alpha1.WebSocketRoom;
import dev.dormouse.crd.v1alpha1.WebSocketRoomStatus;
import dev.dormouse.e2e.cluster.DormouseCluster;
import dev.dormouse.e2e.cluster.DormouseCluster.Gateway;
import dev.dormouse.e2e.cluster.PodRunner.RunningPod;
import dev.dormouse.e2e.cluster.ProcessLogs;
import dev.dormouse.e2e.cluster.WsClient;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Dormouse end to end as it runs on Kubernetes: the operator and two gateways as real processes, owner
 * pods created by the operator in the fabric8 Kubernetes mock and run as real processes by the
 * {@link dev.dormouse.e2e.cluster.PodRunner} (the only stand-in: it plays the kubelet), one embedded
 * Redis. Each scenario uses its own room; the harness is shared by the class. See docs/e2e.md.
 */
@ExtendWith(ProcessLogs.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DormouseOnKubernetesIT {

  static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
  static final Duration WAIT = Duration.ofSeconds(30);
  /** A room woken from zero owner pods waits for a JVM to start. */
  static final Duration WAKE = Duration.ofSeconds(60);

  static DormouseCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = DormouseCluster.start(2);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void theSeedTranscriptThroughAGatewayAndAnOwnerPod() throws Exception {
    cluster.apply("""
        apiVersion: dormouse.dev/v1alpha1
        kind: WebSocketRoom
        metadata:
          name: example
        spec:
          handler: example
          hibernation:
            idleTimeout: 2s
            scaleToZeroAfter: never
          owners:
            minReplicas: 1
        """);
    Gateway gateway = cluster.gateway(0);
    awaitStatus("example", s -> s.getOwners() != null && s.getOwners().ready() == 1);
    awaitServed(gateway, "/websocket");
    RunningPod owner = cluster.pods().running("example").get(0);

    List<String> transcript = new ArrayList<>();
    // 1. plain HTTP
    for (String path : List.of("/", "/websocket", "/other")) {
      transcript.add("GET " + path + " -> " + DormouseCluster.get(gateway.http(path)).statusCode());
    }
    // 2. socket A: ping, hello
    WsClient a = WsClient.connect(gateway.ws("/websocket"), WAIT);
    a.send("ping");
    receive(transcript, "A", a, 1);
    a.send("hello");
    receive(transcript, "A", a, 2);
    // 3. socket B joins; B speaks, then A says Ping (no auto-response: case matters)
    WsClient b = WsClient.connect(gateway.ws("/websocket"), WAIT);
    b.send("hi from b");
    receive(transcript, "B", b, 2);
    receive(transcript, "A", a, 2);
    a.send("Ping");
    receive(transcript, "A", a, 2);
    receive(transcript, "B", b, 2);
    // 4. a binary frame of three bytes
    a.send(new byte[] {1, 2, 3});
    receive(transcript, "A", a, 2);
    receive(transcript, "B", b, 2);
    // 5. B leaves
    b.close(1000, "bye");
    WsClient.Close bClosed = b.awaitClose(WAIT);
    transcript.add("B closed " + bClosed.code() + " \"" + bClosed.reason() + "\"");
    // 6. the room hibernates: observed on the owner pod's /metrics, not slept on
    double evictions = metric(owner, "dormouse_evictions_total");
    await().atMost(WAIT).until(() -> metric(owner, "dormouse_evictions_total") > evictions);
    double revivals = metric(owner, "dormouse_revivals_total");
    a.send("after b left");
    receive(transcript, "A", a, 2);
    a.send("ping");
    receive(transcript, "A", a, 1);
    // 7. A leaves with its own code
    a.close(4000, "custom");
    WsClient.Close aClosed = a.awaitClose(WAIT);
    transcript.add("A closed " + aClosed.code() + " \"" + aClosed.reason() + "\"");

    assertThat(metric(owner, "dormouse_revivals_total")).as("the room came back from Redis").isEqualTo(revivals + 1);
    assertThat(transcript.stream().map(line -> line.replaceAll(UUID, "<uuid>")).toList())
        .containsExactlyElementsOf(seedReference());
  }

  // ---------------------------------------------------------------------------------------------

  static List<String> podNames(List<Pod> pods) {
    return pods.stream().map(p -> p.getMetadata().getName()).toList();
  }

  static void receive(List<String> transcript, String name, WsClient client, int count) {
    for (int i = 0; i < count; i++) {
      transcript.add(name + " <- " + client.nextText());
    }
  }

  /** The workerd reference; HTTP lines compare status codes only (the bodies may name Dormouse's endpoints). */
  static List<String> seedReference() throws IOException {
    return Files.readString(Path.of(System.getProperty("dormouse.seedTranscript")), StandardCharsets.UTF_8).lines()
        .map(line -> line.startsWith("GET ") ? line.replaceAll(" \".*\"$", "") : line)
        .toList();
  }

  /** A counter from a pod's Prometheus page (0 while it is not there yet). */
  static double metric(RunningPod pod, String name) throws IOException, InterruptedException {
    String page = DormouseCluster.get(pod.admin("/metrics")).body();
    Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(page);
    double sum = 0;
    while (matcher.find()) {
      sum += Double.parseDouble(matcher.group(2));
    }
    return sum;
  }

  static WebSocketRoomStatus awaitStatus(String room, Predicate<WebSocketRoomStatus> until) {
    return await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(
        () -> Optional.ofNullable(cluster.room(room)).map(WebSocketRoom::getStatus).orElse(null),
        status -> status != null && until.test(status));
  }

  /** Until the gateway's room informer knows the room (an upgrade without a key gets 400, not 404). */
  static void awaitServed(Gateway gateway, String path) {
    await().atMost(WAIT).pollInterval(Duration.ofMillis(200))
        .until(() -> DormouseCluster.upgradeProbe(gateway, path) == 400);
  }
}
