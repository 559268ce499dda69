package dev.dormouse.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dormouse.contract.ActivityReport;
import dev.dormouse.contract.Annotations;
import dev.dormouse.contract.ControlMessage;
import dev.dormouse.contract.RedisKeys;
import dev.dormouse.crd.v1alpha1.Code;
import dev.dormouse.crd.v1alpha1.RoomPhase;
import dev.dormouse.crd.v1alpha1.WebSocketRoom;
import dev.dormouse.crd.v1alpha1.WebSocketRoomSpec;
import dev.dormouse.crd.v1alpha1.WebSocketRoomStatus;
import dev.dormouse.operator.OperatorConfig;
import dev.dormouse.operator.OperatorMain;
import dev.dormouse.operator.pods.OwnerPodFactory;
import dev.dormouse.operator.redis.RedisConnection;
import dev.dormouse.room.RoomKey;
import dev.dormouse.store.EmbeddedRedis;
import dev.dormouse.testing.EmbeddedRedisExtension;
import dev.dormouse.testing.WebSocketRoomCrd;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real operator, configured as in production, against a CRUD-mode Kubernetes mock with the
 * generated CRD installed and a real Redis. The mock runs no kubelet, so tests mark pods Ready.
 */
@EnableKubernetesMockClient(crud = true)
@ExtendWith(EmbeddedRedisExtension.class)
class WebSocketRoomOperatorIT {

  private static final String NS = "rooms";
  private static final Duration WAIT = Duration.ofSeconds(20);

  static KubernetesClient client;

  private static EmbeddedRedis redisServer;
  private static RedisConnection redis;
  private static Operator operator;

  @BeforeAll
  static void startOperator(EmbeddedRedis embedded) {
    WebSocketRoomCrd.install(client);
    redisServer = embedded;
    redis = RedisConnection.connect(redisServer.url(), Duration.ofSeconds(5));
    OperatorConfig config =
        new OperatorConfig(
            "dormouse:test",
            redisServer.url(),
            "",
            Set.of(),
            "dormouse-link",
            0,
            Duration.ofMillis(500),
            false,
            "",
            Optional.empty());
    operator =
        OperatorMain.operator(
            config, client, redis, new SimpleMeterRegistry(), Clock.systemUTC(), false);
    operator.start();
  }

  @AfterAll
  static void stopOperator() throws Exception {
    if (operator != null) {
      operator.stop();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void aNewRoomSleepsUntilAWakeThenFollowsItsOwnerPodsReadiness() {
    WebSocketRoom room =
        create(room("lobby", spec -> spec.getHibernation().setScaleToZeroAfter("1m")));

    WebSocketRoomStatus asleep = awaitStatus("lobby", s -> s.getPhase() == RoomPhase.Hibernated);
    assertThat(asleep.getObservedGeneration()).isEqualTo(1L);
    assertThat(asleep.getOwners().desired()).isZero();
    assertThat(asleep.getConditions())
        .extracting(Condition::getType)
        .containsExactly("Ready", "Hibernated", "Reconciled");
    assertThat(condition(asleep, "Hibernated").getReason()).isEqualTo("ScaledToZero");
    await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> pods("lobby").isEmpty());

    wake(room.getMetadata().getName());
    Pod pod = await().atMost(WAIT).until(() -> pods("lobby"), pods -> pods.size() == 1).get(0);
    assertOwnerPod(pod, "lobby");
    WebSocketRoomStatus waking = awaitStatus("lobby", s -> s.getPhase() == RoomPhase.Pending);
    assertThat(condition(waking, "Ready").getStatus()).isEqualTo("False");
    assertThat(waking.getOwners().desired()).isEqualTo(1);

    markReady(pod);
    WebSocketRoomStatus ready = awaitStatus("lobby", s -> s.getOwners().ready() == 1);
    assertThat(condition(ready, "Ready").getStatus()).isEqualTo("True");
    assertThat(condition(ready, "Ready").getReason()).isEqualTo("OwnersReady");
    awaitEvent("lobby", e -> e.getReason().equals("Woken"));
  }

  @Test
  void activityDrivesScaleUpThenTheEmptiestOwnersGoFirstThenScaleToZero() {
    create(
        room(
            "arena",
            spec -> {
              spec.getOwners().setMaxReplicas(3);
              spec.getOwners().setActiveInstancesPerOwner(2);
              spec.getHibernation().setScaleToZeroAfter("2s");
            }));
    awaitStatus("arena", s -> s.getPhase() == RoomPhase.Hibernated);
    wake("arena");
    Pod first = await().atMost(WAIT).until(() -> pods("arena"), pods -> pods.size() == 1).get(0);
    markReady(first);

    long now = System.currentTimeMillis();
    report("arena", Map.of(name(first), 5), now);
    List<Pod> three = await().atMost(WAIT).until(() -> pods("arena"), pods -> pods.size() == 3);
    three.forEach(WebSocketRoomOperatorIT::markReady);
    WebSocketRoomStatus busy = awaitStatus("arena", s -> s.getOwners().ready() == 3);
    assertThat(busy.getPhase()).isEqualTo(RoomPhase.Active);
    assertThat(busy.getInstances().active()).isEqualTo(5);

    List<String> names = three.stream().map(WebSocketRoomOperatorIT::name).toList();
    String emptiest = names.stream().filter(n -> !n.equals(name(first))).findFirst().orElseThrow();
    long later = System.currentTimeMillis();
    report(
        "arena",
        names.stream()
            .collect(
                Collectors.toMap(
                    owner -> owner,
                    owner -> owner.equals(name(first)) ? 2 : owner.equals(emptiest) ? 0 : 1)),
        later);
    await()
        .atMost(WAIT)
        .until(() -> names(pods("arena")), left -> left.size() == 2 && !left.contains(emptiest));
    awaitEvent(
        "arena", e -> e.getReason().equals("ScaledDown") && e.getMessage().contains(emptiest));

    long idleSince = System.currentTimeMillis();
    report(
        "arena", names.stream().collect(Collectors.toMap(owner -> owner, owner -> 0)), idleSince);
    await().atMost(WAIT).until(() -> pods("arena").isEmpty());
    assertThat(System.currentTimeMillis() - idleSince).isGreaterThanOrEqualTo(2000);
    WebSocketRoomStatus hibernated =
        awaitStatus("arena", s -> s.getPhase() == RoomPhase.Hibernated);
    assertThat(hibernated.getOwners().desired()).isZero();
    assertThat(hibernated.getLastActivityTime()).isNotNull();
    awaitEvent("arena", e -> e.getReason().equals("Hibernated"));
  }

  @Test
  void aSpecChangeRollsTheOwnersOneAtATime() {
    create(
        room(
            "hall",
            spec -> {
              spec.getOwners().setMinReplicas(2);
              spec.getOwners().setMaxReplicas(2);
            }));
    List<Pod> original = await().atMost(WAIT).until(() -> pods("hall"), pods -> pods.size() == 2);
    original.forEach(WebSocketRoomOperatorIT::markReady);
    awaitStatus("hall", s -> s.getOwners().ready() == 2);
    String oldHash = hash(original.get(0));

    client
        .resources(WebSocketRoom.class)
        .inNamespace(NS)
        .withName("hall")
        .edit(
            r -> {
              r.getSpec().setHandler("echo");
              return r;
            });

    List<Pod> halfway =
        await()
            .atMost(WAIT)
            .until(
                () -> pods("hall"),
                pods -> pods.stream().filter(p -> !hash(p).equals(oldHash)).count() == 1);
    assertThat(halfway).hasSize(2);
    Pod replacement =
        halfway.stream().filter(p -> !hash(p).equals(oldHash)).findFirst().orElseThrow();
    assertThat(env(replacement, "DORMOUSE_ROOM_SPEC")).contains("\"handler\":\"echo\"");
    // The second old owner waits for its replacement to be Ready.
    await()
        .during(Duration.ofSeconds(2))
        .atMost(WAIT)
        .until(
            () -> pods("hall"),
            pods -> pods.stream().filter(p -> hash(p).equals(oldHash)).count() == 1);

    markReady(replacement);
    List<Pod> rolled =
        await()
            .atMost(WAIT)
            .until(
                () -> pods("hall"),
                pods -> pods.size() == 2 && pods.stream().noneMatch(p -> hash(p).equals(oldHash)));
    assertThat(names(rolled)).doesNotContainAnyElementsOf(names(original));
    await()
        .atMost(WAIT)
        .until(
            () ->
                events("hall").stream().filter(e -> e.getReason().equals("RollingUpdate")).count(),
            count -> count == 2);
  }

  /** The operator records its Event after the change it announces, so a test that saw the change waits for it. */
  private static void awaitEvent(String room, Predicate<Event> matching) {
    await().atMost(WAIT).until(() -> events(room), events -> events.stream().anyMatch(matching));
  }

  @Test
  void anInvalidSpecIsDegradedWithAWarningAndNoPods() {
    create(
        room(
            "broken",
            spec -> {
              spec.getOwners().setMinReplicas(1);
              spec.getLimits().setMaxConnections(-1);
            }));

    WebSocketRoomStatus degraded = awaitStatus("broken", s -> s.getPhase() == RoomPhase.Degraded);
    Condition reconciled = condition(degraded, "Reconciled");
    assertThat(reconciled.getStatus()).isEqualTo("False");
    assertThat(reconciled.getReason()).isEqualTo("InvalidSpec");
    assertThat(reconciled.getMessage()).contains("spec.limits.maxConnections");
    await()
        .atMost(WAIT)
        .until(
            () -> events("broken"),
            events ->
                events.stream()
                    .anyMatch(
                        e -> e.getType().equals("Warning") && e.getReason().equals("InvalidSpec")));
    await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> pods("broken").isEmpty());
    assertThat(events("broken")).filteredOn(e -> e.getType().equals("Warning")).hasSize(1);
  }

  @Test
  void codeThatFailsToLoadMakesTheRoomDegradedWithOneWarningUntilItLoads() throws Exception {
    create(
        room(
            "scripted",
            spec -> {
              spec.setHandler("js:scripted-code/worker.js#Room");
              spec.setCode(new Code("scripted-code"));
              spec.getOwners().setMinReplicas(1);
            }));
    Pod pod = await().atMost(WAIT).until(() -> pods("scripted"), pods -> pods.size() == 1).get(0);
    assertThat(pod.getSpec().getVolumes())
        .singleElement()
        .satisfies(v -> assertThat(v.getConfigMap().getName()).isEqualTo("scripted-code"));
    assertThat(pod.getSpec().getContainers().get(0).getVolumeMounts())
        .singleElement()
        .satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/opt/dormouse/lib/scripted-code"));
    markReady(pod);
    String error = "scripted-code/worker.js:3:7: SyntaxError: Unexpected token \"}\"";

    reportCode("scripted", name(pod), error);
    WebSocketRoomStatus degraded = awaitStatus("scripted", s -> s.getPhase() == RoomPhase.Degraded);
    assertThat(condition(degraded, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(degraded, "Ready").getReason()).isEqualTo("CodeFailed");
    assertThat(condition(degraded, "Ready").getMessage()).isEqualTo(error);
    awaitEvent(
        "scripted",
        e ->
            e.getType().equals("Warning")
                && e.getReason().equals("CodeFailed")
                && e.getMessage().equals(error));

    reportCode("scripted", name(pod), null);
    WebSocketRoomStatus fixed = awaitStatus("scripted", s -> s.getPhase() != RoomPhase.Degraded);
    assertThat(condition(fixed, "Ready").getReason()).isEqualTo("OwnersReady");
    assertThat(events("scripted"))
        .filteredOn(e -> e.getReason().equals("CodeFailed"))
        .as("one Warning, not one per reconcile")
        .hasSize(1);
  }

  @Test
  void deletingARoomRemovesItsKeysAndOwnersAndTellsTheGateways() throws Exception {
    create(
        room(
            "doomed",
            spec -> {
              spec.setInstances(true);
              spec.getOwners().setMinReplicas(1);
            }));
    await().atMost(WAIT).until(() -> pods("doomed"), pods -> pods.size() == 1);
    var commands = redis.commands();
    commands.hset(RedisKeys.connections(new RoomKey(NS, "doomed", "match-1")), "c1", "gw-1");
    commands.hset(RedisKeys.storage(RoomKey.of(NS, "doomed")), "k", "v");
    commands.hset(RedisKeys.connectionCounts(NS, "doomed"), "match-1", "1");
    String neighbour = RedisKeys.storage(RoomKey.of(NS, "doomed2"));
    commands.hset(neighbour, "k", "v");

    List<String> messages = new CopyOnWriteArrayList<>();
    RedisClient subscriber = RedisClient.create(redisServer.url());
    try (StatefulRedisPubSubConnection<String, String> pubSub = subscriber.connectPubSub()) {
      pubSub.addListener(
          new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
              messages.add(message);
            }
          });
      pubSub.sync().subscribe(RedisKeys.CONTROL_CHANNEL);
      awaitStatus("doomed", s -> s.getOwners().desired() == 1);

      client.resources(WebSocketRoom.class).inNamespace(NS).withName("doomed").delete();

      await()
          .atMost(WAIT)
          .until(
              () ->
                  client.resources(WebSocketRoom.class).inNamespace(NS).withName("doomed").get()
                      == null);
      await()
          .atMost(WAIT)
          .until(() -> messages.contains(ControlMessage.roomDeleted(NS, "doomed").encode()));
    } finally {
      subscriber.shutdown();
    }
    assertThat(pods("doomed")).isEmpty();
    assertThat(commands.keys(RedisKeys.roomPattern(NS, "doomed"))).containsExactly(neighbour);
  }

  private static WebSocketRoom room(String name, Consumer<WebSocketRoomSpec> spec) {
    WebSocketRoom room = new WebSocketRoom();
    room.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    spec.accept(room.getSpec());
    return room;
  }

  private static WebSocketRoom create(WebSocketRoom room) {
    return client.resource(room).create();
  }

  private static void wake(String room) {
    client
        .resources(WebSocketRoom.class)
        .inNamespace(NS)
        .withName(room)
        .edit(
            r -> {
              r.getMetadata()
                  .getAnnotations()
                  .put(Annotations.WAKE_REQUESTED, Instant.now().toString());
              return r;
            });
  }

  /** All owners' reports in one HSET, so no reconcile sees half of them. */
  private static void report(String room, Map<String, Integer> activeByOwner, long lastActivity) {
    long now = System.currentTimeMillis();
    Map<String, String> reports = new HashMap<>();
    activeByOwner.forEach(
        (owner, active) ->
            reports.put(
                owner,
                "{\"activeInstances\":"
                    + active
                    + ",\"lastActivity\":"
                    + lastActivity
                    + ",\"updatedAt\":"
                    + now
                    + "}"));
    redis.commands().hset(RedisKeys.activity(NS, room), reports);
  }

  /** One owner's report as an owner whose room code failed to load (or loads again) writes it. */
  private static void reportCode(String room, String owner, String codeError) throws Exception {
    String report =
        new ObjectMapper()
            .writeValueAsString(new ActivityReport(0, 0, System.currentTimeMillis(), codeError));
    redis.commands().hset(RedisKeys.activity(NS, room), Map.of(owner, report));
  }

  private static WebSocketRoomStatus awaitStatus(
      String room, Predicate<WebSocketRoomStatus> until) {
    return await()
        .atMost(WAIT)
        .until(
            () ->
                Optional.ofNullable(
                        client.resources(WebSocketRoom.class).inNamespace(NS).withName(room).get())
                    .map(WebSocketRoom::getStatus)
                    .orElse(null),
            status -> status != null && until.test(status));
  }

  private static List<Pod> pods(String room) {
    return client.pods().inNamespace(NS).withLabel(Annotations.ROOM_LABEL, room).list().getItems();
  }

  private static void markReady(Pod pod) {
    Pod current = client.pods().inNamespace(NS).withName(name(pod)).get();
    current.setStatus(
        new PodStatusBuilder()
            .withPhase("Running")
            .withConditions(new PodConditionBuilder().withType("Ready").withStatus("True").build())
            .build());
    client.resource(current).updateStatus();
  }

  private static List<Event> events(String room) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> room.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  private static Condition condition(WebSocketRoomStatus status, String type) {
    return status.getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElseThrow();
  }

  private static String name(Pod pod) {
    return pod.getMetadata().getName();
  }

  private static List<String> names(List<Pod> pods) {
    return pods.stream().map(WebSocketRoomOperatorIT::name).toList();
  }

  private static String hash(Pod pod) {
    return pod.getMetadata().getAnnotations().get(Annotations.SPEC_HASH);
  }

  private static String env(Pod pod, String name) {
    return pod.getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .map(EnvVar::getValue)
        .findFirst()
        .orElse(null);
  }

  private static void assertOwnerPod(Pod pod, String room) {
    assertThat(pod.getMetadata().getLabels())
        .containsEntry(Annotations.ROOM_LABEL, room)
        .containsEntry(Annotations.ROLE_LABEL, Annotations.ROLE_OWNER)
        .containsEntry("app.kubernetes.io/name", "dormouse");
    assertThat(pod.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(ref -> assertThat(ref.getKind()).isEqualTo("WebSocketRoom"));
    assertThat(pod.getSpec().getTerminationGracePeriodSeconds())
        .isEqualTo(OwnerPodFactory.TERMINATION_GRACE_SECONDS);
    Container owner = pod.getSpec().getContainers().get(0);
    assertThat(owner.getImage()).isEqualTo("dormouse:test");
    assertThat(owner.getArgs()).containsExactly("owner");
    assertThat(owner.getPorts()).extracting(p -> p.getContainerPort()).containsExactly(7070, 9090);
    assertThat(owner.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(owner.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    Map<String, EnvVar> env =
        owner.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
    assertThat(env.get("REDIS_URL").getValue()).isEqualTo(redisServer.url());
    assertThat(env.get("DORMOUSE_LINK_SECRET").getValueFrom().getSecretKeyRef().getKey())
        .isEqualTo("secret");
    assertThat(env.get("DORMOUSE_ROOM").getValue()).isEqualTo(NS + "/" + room);
    assertThat(env.get("DORMOUSE_ROOM_SPEC").getValue()).contains("\"handler\":\"example\"");
    assertThat(env.get("DORMOUSE_OWNER_ID").getValueFrom().getFieldRef().getFieldPath())
        .isEqualTo("metadata.name");
  }
}
