package dev.dormouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.contract.RedisKeys;
import dev.dormouse.crd.v1alpha1.Limits;
import dev.dormouse.crd.v1alpha1.RoomPhase;
import dev.dormouse.crd.v1alpha1.WebSocketRoom;
import dev.dormouse.crd.v1alpha1.WebSocketRoomStatus;
import dev.dormouse.e2e.cluster.DockerContainer;
import dev.dormouse.e2e.cluster.DormouseCluster;
import dev.dormouse.e2e.cluster.DormouseCluster.Gateway;
import dev.dormouse.e2e.cluster.PodRunner.RunningPod;
import dev.dormouse.e2e.cluster.ProcessLogs;
import dev.dormouse.e2e.cluster.Resp;
import dev.dormouse.testing.PacedLoop;
import dev.dormouse.testing.RoomManifest;
import dev.dormouse.testing.SeedTranscript;
import dev.dormouse.testing.WsClient;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;
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

  /** A reply from a room that is awake. */
  static final Duration REPLY = Duration.ofSeconds(15);

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
    cluster.apply(
        RoomManifest.of(
            "example",
            "example",
            """
        hibernation:
          idleTimeout: 2s
          scaleToZeroAfter: never
        owners:
          minReplicas: 1
        """));
    Gateway gateway = cluster.gateway(0);
    awaitStatus("example", s -> s.getOwners() != null && s.getOwners().ready() == 1);
    awaitServed(gateway, "/websocket");
    RunningPod owner = cluster.pods().running("example").get(0);

    double[] revivals = new double[1];
    // The hibernation is observed on the owner pod's /metrics.
    List<String> transcript =
        SeedTranscript.record(
            new SeedTranscript.Target(
                path -> DormouseCluster.get(gateway.http(path)).statusCode(),
                path -> WsClient.connect(gateway.ws(path), WAIT),
                () -> {
                  double evictions = owner.metric("dormouse_evictions_total");
                  await()
                      .atMost(WAIT)
                      .until(() -> owner.metric("dormouse_evictions_total") > evictions);
                  revivals[0] = owner.metric("dormouse_revivals_total");
                }),
            REPLY,
            WAIT);

    assertThat(owner.metric("dormouse_revivals_total"))
        .as("the room came back from Redis")
        .isEqualTo(revivals[0] + 1);
    assertThat(transcript).containsExactlyElementsOf(SeedTranscript.reference());
  }

  @Test
  @Order(2)
  void aRoomScaledToZeroWakesOnTheNextMessageWithItsAttachmentRestored() {
    cluster.apply(
        RoomManifest.of(
            "nap",
            "example",
            """
        hibernation:
          idleTimeout: 1s
          # Longer than an owner JVM takes to turn Ready on a loaded machine: the operator counts the
          # idle time from the wake request, even while the woken pod is still starting (docs/e2e.md).
          scaleToZeroAfter: 10s
        owners:
          minReplicas: 0
        """));
    Woken woken = connectWaking("nap", cluster.gateway(1), "/rooms/nap");
    WsClient client = woken.client();
    List<String> firstOwners = woken.owners();
    client.send("before");
    String reply = client.nextText(REPLY);
    Matcher session =
        Pattern.compile(
                "^\\[Durable Object\\] message: before, from: ("
                    + UUID
                    + ")\\. Total connections: 1$")
            .matcher(reply);
    assertThat(session.matches()).as(reply).isTrue();
    assertThat(client.nextText(REPLY)).isEqualTo(reply);

    // Idle: evicted after 1 s, owner pods removed 10 s later; the client's socket stays open.
    await().atMost(WAIT).until(() -> cluster.ownerPods("nap").isEmpty());
    await().atMost(WAIT).until(() -> cluster.pods().running("nap").isEmpty());
    assertThat(client.isClosed()).isFalse();

    // The next message wakes it on a new pod; the session id comes from the restored attachment.
    client.send("after");
    assertThat(client.nextText(WAKE))
        .isEqualTo(
            "[Durable Object] message: after, from: "
                + session.group(1)
                + ". Total connections: 1");
    assertThat(podNames(cluster.ownerPods("nap")))
        .hasSize(1)
        .doesNotContainAnyElementsOf(firstOwners);
    client.close(1000, "done");
    client.awaitClose(WAIT);
  }

  @Test
  @Order(3)
  void anInvalidRoomIsDegradedWithTheReasonAndGetsNoOwnerPods() {
    cluster.apply(
        RoomManifest.of(
            "broken",
            "example",
            """
        owners:
          minReplicas: 1
        limits:
          maxConnections: -1
        """));
    WebSocketRoomStatus status = awaitStatus("broken", s -> s.getPhase() == RoomPhase.Degraded);
    Condition reconciled =
        status.getConditions().stream()
            .filter(c -> c.getType().equals("Reconciled"))
            .findFirst()
            .orElseThrow();
    assertThat(reconciled.getStatus()).isEqualTo("False");
    assertThat(reconciled.getReason()).isEqualTo("InvalidSpec");
    assertThat(reconciled.getMessage()).contains("maxConnections");
    await()
        .during(Duration.ofSeconds(3))
        .atMost(WAIT)
        .until(() -> cluster.ownerPods("broken").isEmpty());
  }

  @Test
  @Order(4)
  void aDeletedRoomClosesItsClientsWith1001AndLeavesNothingInRedis() throws Exception {
    cluster.apply(
        RoomManifest.of(
            "doomed",
            "example",
            """
        hibernation:
          idleTimeout: 30s
        owners:
          minReplicas: 1
        """));
    awaitStatus("doomed", s -> s.getOwners() != null && s.getOwners().ready() == 1);
    awaitServed(cluster.gateway(0), "/rooms/doomed");
    awaitServed(cluster.gateway(1), "/rooms/doomed");
    WsClient a = WsClient.connect(cluster.gateway(0).ws("/rooms/doomed"), WAIT);
    WsClient b = WsClient.connect(cluster.gateway(1).ws("/rooms/doomed"), WAIT);
    a.send("still here?");
    a.nextText(REPLY);
    String pattern = RedisKeys.roomPattern(DormouseCluster.NAMESPACE, "doomed");
    assertThat(Resp.keys(cluster.redisPort(), pattern))
        .as("the room's state is in Redis")
        .isNotEmpty();

    cluster
        .client()
        .resources(WebSocketRoom.class)
        .inNamespace(DormouseCluster.NAMESPACE)
        .withName("doomed")
        .delete();

    assertThat(a.awaitClose(WAIT).code()).isEqualTo(1001);
    assertThat(b.awaitClose(WAIT).code()).isEqualTo(1001);
    await().atMost(WAIT).until(() -> cluster.room("doomed") == null);
    await().atMost(WAIT).until(() -> cluster.ownerPods("doomed").isEmpty());
    // Nothing of the room is left, and nothing comes back once the gateways have closed its
    // clients.
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(Resp.keys(cluster.redisPort(), pattern)).isEmpty());
    await()
        .during(Duration.ofSeconds(2))
        .atMost(WAIT)
        .until(() -> Resp.keys(cluster.redisPort(), pattern).isEmpty());
  }

  @Test
  @Order(5)
  void aKilledGatewaysClientsLeaveTheRoomOnTheOtherGateway() throws Exception {
    cluster.apply(chatRoom("lounge"));
    awaitStatus("lounge", s -> s.getOwners() != null && s.getOwners().ready() == 1);
    Gateway survivor = cluster.gateway(0);
    Gateway doomed = cluster.gateway(1);
    awaitServed(survivor, "/rooms/lounge");
    awaitServed(doomed, "/rooms/lounge");
    WsClient x = WsClient.connect(survivor.ws("/rooms/lounge?name=x"), WAIT);
    assertThat(x.nextText(REPLY)).contains("\"type\":\"join\"").contains("\"name\":\"x\"");
    WsClient y = WsClient.connect(doomed.ws("/rooms/lounge?name=y"), WAIT);
    String yJoined = x.nextText(REPLY);
    assertThat(yJoined).contains("\"type\":\"join\"").contains("\"name\":\"y\"");
    y.nextText(REPLY);

    doomed.process().kill(); // SIGKILL: no drain, no goodbye
    cluster.forget(doomed);

    // Silent for DORMOUSE_GATEWAY_DEAD_AFTER (3 s), then reaped: the room runs onClose for y.
    String left = x.nextText(WAIT);
    assertThat(left)
        .contains("\"type\":\"leave\"")
        .contains("\"name\":\"y\"")
        .contains(idOf(yJoined));
    x.send("still here");
    assertThat(x.nextText(REPLY))
        .contains("\"type\":\"message\"")
        .contains("\"text\":\"still here\"");
    assertThat(x.isClosed()).isFalse();
    x.close(1000, "done");
    x.awaitClose(WAIT);
    cluster.startGateway(); // two gateways again for the next scenarios
  }

  @Test
  @Order(6)
  void aKilledOwnerIsReplacedAndTrafficResumesWithAttachmentsIntact() {
    cluster.apply(
        RoomManifest.of(
            "sturdy",
            "example",
            """
        hibernation:
          idleTimeout: 30s
        owners:
          minReplicas: 1
        """));
    awaitStatus("sturdy", s -> s.getOwners() != null && s.getOwners().ready() == 1);
    Gateway gateway = cluster.gateway(0);
    awaitServed(gateway, "/rooms/sturdy");
    WsClient client = WsClient.connect(gateway.ws("/rooms/sturdy"), WAIT);
    client.send("one");
    String reply = client.nextText(REPLY);
    Matcher session =
        Pattern.compile(
                "^\\[Durable Object\\] message: one, from: (" + UUID + ")\\. Total connections: 1$")
            .matcher(reply);
    assertThat(session.matches()).as(reply).isTrue();
    client.nextText(REPLY);
    String first = cluster.ownerPods("sturdy").get(0).getMetadata().getName();

    // The owner's process dies (SIGKILL); the pod is then reported gone, as after a node failure.
    cluster.pods().killProcess(first);
    cluster.client().pods().inNamespace(DormouseCluster.NAMESPACE).withName(first).delete();

    await()
        .atMost(WAKE)
        .until(
            () -> {
              List<String> names = podNames(cluster.ownerPods("sturdy"));
              return names.size() == 1
                  && !names.contains(first)
                  && !cluster.pods().running("sturdy").isEmpty();
            });
    awaitStatus("sturdy", s -> s.getOwners() != null && s.getOwners().ready() == 1);
    assertThat(client.isClosed()).isFalse();
    client.send("two");
    assertThat(client.nextText(WAKE))
        .isEqualTo(
            "[Durable Object] message: two, from: " + session.group(1) + ". Total connections: 1");
    assertThat(client.nextText(REPLY))
        .isEqualTo(
            "[Durable Object] message: two, from: " + session.group(1) + ". Total connections: 1");
    client.close(1000, "done");
    client.awaitClose(WAIT);
  }

  @Test
  @Order(7)
  void ownersRolledBySpecChangeWhileClientsChatLoseNothing() throws Exception {
    rollWhileChatting(
        chatRoom("rolling"),
        "rolling",
        room -> {
          if (room.getSpec().getLimits() == null) {
            room.getSpec().setLimits(new Limits());
          }
          room.getSpec().getLimits().setMaxMessageBytes(65536);
        });
  }

  /**
   * The owner image rolled to a new tag: the image under test tagged anew, as a release would push
   * it, and the room's spec.image changed while its clients chat. The owner that replaces the first
   * is a container of the new tag, in the memory its room's limits give it.
   */
  @Test
  @Order(7)
  @EnabledIf("dev.dormouse.e2e.cluster.DormouseCluster#inContainers")
  void theOwnerImageRolledToANewTagWhileClientsChatLosesNothing() throws Exception {
    String image = System.getProperty(DormouseCluster.IMAGE);
    String rolled = image + "-rolled";
    DockerContainer.tag(image, rolled);
    String manifest =
        chatRoom("image-roll")
            + """
            resources:
              limits: {memory: 512Mi, cpu: "1"}
        """;
    Pod replacement =
        rollWhileChatting(manifest, "image-roll", room -> room.getSpec().setImage(rolled));
    assertThat(replacement.getSpec().getContainers().get(0).getImage()).isEqualTo(rolled);
    assertThat(cluster.container(replacement.getMetadata().getName()).orElseThrow().image())
        .isEqualTo(rolled);
  }

  /**
   * Two chatting clients on two gateways while {@code change} rolls the room's owner pod: everyone
   * gets every message, once, in order, and nobody is disconnected. Returns the new owner pod.
   */
  static Pod rollWhileChatting(String manifest, String name, Consumer<WebSocketRoom> change)
      throws Exception {
    cluster.apply(manifest);
    awaitStatus(name, s -> s.getOwners() != null && s.getOwners().ready() == 1);
    // a talks through gateway 1; b only listens, on gateway 2, which therefore has nothing to send
    // the new owner: it must still hear it.
    awaitServed(cluster.gateway(0), "/rooms/" + name);
    awaitServed(cluster.gateway(1), "/rooms/" + name);
    WsClient a = WsClient.connect(cluster.gateway(0).ws("/rooms/" + name + "?name=a"), WAIT);
    a.nextText(REPLY);
    WsClient b = WsClient.connect(cluster.gateway(1).ws("/rooms/" + name + "?name=b"), WAIT);
    b.nextText(REPLY);
    a.nextText(REPLY);
    Pod first = cluster.ownerPods(name).get(0);

    AtomicBoolean rolled = new AtomicBoolean();
    AtomicInteger sent = new AtomicInteger();
    PacedLoop chatter =
        PacedLoop.start(
            "chatter",
            Duration.ofMillis(50),
            new IntPredicate() {
              private int after;

              @Override
              public boolean test(int i) {
                a.send("m-" + sent.getAndIncrement());
                return !rolled.get() || after++ < 20;
              }
            });
    await().atMost(WAIT).until(() -> sent.get() >= 10);
    cluster.editRoom(name, change);
    await()
        .atMost(WAKE)
        .until(
            () -> {
              List<Pod> pods = cluster.ownerPods(name);
              return pods.size() == 1
                  && !pods.get(0).getMetadata().getName().equals(first.getMetadata().getName())
                  && !cluster.pods().running(name).isEmpty()
                  && isReady(pods.get(0));
            });
    rolled.set(true);
    assertThat(chatter.awaitEnd(WAKE)).isTrue();
    assertThat(
            cluster
                .ownerPods(name)
                .get(0)
                .getMetadata()
                .getAnnotations()
                .get("dormouse.dev/spec-hash"))
        .isNotEqualTo(first.getMetadata().getAnnotations().get("dormouse.dev/spec-hash"));

    // Everyone got every message, once, in order; nobody was disconnected (no leave notice either).
    for (WsClient client : List.of(a, b)) {
      for (int i = 0; i < sent.get(); i++) {
        String message = client.nextText(WAKE);
        assertThat(message)
            .as(client == a ? "a" : "b")
            .contains("\"type\":\"message\"")
            .contains("\"text\":\"m-" + i + "\"");
      }
      assertThat(client.isClosed()).isFalse();
    }
    a.close(1000, "done");
    b.close(1000, "done");
    return cluster.ownerPods(name).get(0);
  }

  @Test
  @Order(8)
  void statusColumnsFollowWhatHappens() {
    cluster.apply(
        RoomManifest.of(
            "counted",
            "example",
            """
        hibernation:
          idleTimeout: 8s
          scaleToZeroAfter: never
        owners:
          minReplicas: 1
        """));
    awaitColumns(
        "counted", Map.of("PHASE", "Hibernated", "CONNECTIONS", "0", "ACTIVE", "0", "OWNERS", "1"));
    awaitServed(cluster.gateway(0), "/rooms/counted");
    awaitServed(cluster.gateway(1), "/rooms/counted");
    WsClient one = WsClient.connect(cluster.gateway(0).ws("/rooms/counted"), WAIT);
    WsClient two = WsClient.connect(cluster.gateway(1).ws("/rooms/counted"), WAIT);
    one.send("hello");
    awaitColumns(
        "counted", Map.of("PHASE", "Active", "CONNECTIONS", "2", "ACTIVE", "1", "OWNERS", "1"));
    // idle for 8 s: evicted, the sockets stay open and counted (owners report activity every 5 s)
    awaitColumns(
        "counted", Map.of("PHASE", "Hibernated", "CONNECTIONS", "2", "ACTIVE", "0", "OWNERS", "1"));
    two.close(1000, "bye");
    awaitColumns(
        "counted", Map.of("PHASE", "Hibernated", "CONNECTIONS", "1", "ACTIVE", "0", "OWNERS", "1"));
    one.close(1000, "bye");
  }

  // ---------------------------------------------------------------------------------------------

  @Test
  @Order(9)
  void anAlarmWakesARoomScaledToZeroOwners() {
    cluster.apply(
        RoomManifest.of(
            "reminded",
            "dev.dormouse.room.builtin.ReminderRoom",
            """
        instances: true
        hibernation:
          idleTimeout: 1s
          scaleToZeroAfter: 10s
        owners:
          minReplicas: 0
        """));
    Woken woken = connectWaking("reminded", cluster.gateway(0), "/rooms/reminded/desk");
    WsClient client = woken.client();
    List<String> firstOwners = woken.owners();

    // Later than the room takes to idle to zero owner pods (1 s, then 10 s, then the pod's drain).
    client.send("remind:30:stand up");
    assertThat(client.nextText(REPLY)).startsWith("reminder set for ");
    long dueNanos = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    await().atMost(WAIT).until(() -> cluster.ownerPods("reminded").isEmpty());
    await().atMost(WAIT).until(() -> cluster.pods().running("reminded").isEmpty());
    assertThat(System.nanoTime())
        .as("scaled to zero before the alarm was due")
        .isLessThan(dueNanos);

    // Due, the alarm is raised by a gateway, which asks the operator for an owner as for a wake.
    assertThat(client.nextText(WAKE)).isEqualTo("reminder: stand up");
    System.out.println(
        "alarm from zero owner pods heard "
            + Duration.ofNanos(System.nanoTime() - dueNanos).toMillis()
            + " ms after due (an owner pod started meanwhile)");
    assertThat(podNames(cluster.ownerPods("reminded")))
        .hasSize(1)
        .doesNotContainAnyElementsOf(firstOwners);
    client.close(1000, "done");
    client.awaitClose(WAIT);
  }

  static String chatRoom(String name) {
    return """
        apiVersion: dormouse.dev/v1alpha1
        kind: WebSocketRoom
        metadata:
          name: %s
        spec:
          handler: chat
          hibernation:
            idleTimeout: 30s
          owners:
            minReplicas: 1
        """
        .formatted(name);
  }

  static boolean isReady(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  static String idOf(String chatEvent) {
    Matcher id = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(chatEvent);
    assertThat(id.find()).as(chatEvent).isTrue();
    return id.group(1);
  }

  /** The room's printer columns (as {@code kubectl get wsroom} shows them), from the CRD's jsonPaths. */
  static Map<String, String> columns(String room) {
    GenericKubernetesResource resource =
        cluster
            .client()
            .genericKubernetesResources("dormouse.dev/v1alpha1", "WebSocketRoom")
            .inNamespace(DormouseCluster.NAMESPACE)
            .withName(room)
            .get();
    Map<String, String> row = new TreeMap<>();
    for (CustomResourceColumnDefinition column :
        cluster
            .client()
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .withName("websocketrooms.dormouse.dev")
            .get()
            .getSpec()
            .getVersions()
            .get(0)
            .getAdditionalPrinterColumns()) {
      if (column.getJsonPath().startsWith(".metadata")) {
        continue; // AGE
      }
      Object value = resource.getAdditionalProperties();
      for (String part : column.getJsonPath().substring(1).split("\\.")) {
        value = value instanceof Map<?, ?> map ? map.get(part) : null;
      }
      row.put(column.getName(), value == null ? "<none>" : value.toString());
    }
    return row;
  }

  static void awaitColumns(String room, Map<String, String> expected) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> assertThat(columns(room)).containsAllEntriesOf(expected));
  }

  /** A client of a room that had no owner pod, and the pod its connect woke. */
  record Woken(WsClient client, List<String> owners) {}

  /**
   * Connects to a hibernated room with no owner pod: the connect itself wakes it (the gateway
   * annotates the room, the operator creates an owner pod).
   */
  static Woken connectWaking(String room, Gateway gateway, String path) {
    awaitStatus(room, s -> s.getPhase() == RoomPhase.Hibernated);
    assertThat(cluster.ownerPods(room)).as("nobody asked for the room yet").isEmpty();
    awaitServed(gateway, path);
    WsClient client = WsClient.connect(gateway.ws(path), WAKE);
    List<String> owners = podNames(cluster.ownerPods(room));
    assertThat(owners).hasSize(1);
    return new Woken(client, owners);
  }

  static List<String> podNames(List<Pod> pods) {
    return pods.stream().map(p -> p.getMetadata().getName()).toList();
  }

  static WebSocketRoomStatus awaitStatus(String room, Predicate<WebSocketRoomStatus> until) {
    return cluster.awaitStatus(room, WAIT, until);
  }

  static void awaitServed(Gateway gateway, String path) {
    cluster.awaitServed(gateway, path);
  }
}
