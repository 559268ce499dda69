package dev.dormouse.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.contract.Annotations;
import dev.dormouse.crd.v1alpha1.WebSocketRoom;
import dev.dormouse.testing.WebSocketRoomCrd;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class KubernetesWakeRequesterIT {

  private static final String NS = "rooms";

  static KubernetesClient client;
  static KubernetesMockServer server;

  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void installCrd() {
    WebSocketRoomCrd.install(client);
  }

  @Test
  void aBurstOfRequestsStampsTheRoomOnce() {
    create("lobby");
    Instant before = Instant.now().minusMillis(1);
    try (KubernetesWakeRequester wake =
        new KubernetesWakeRequester(client, Duration.ofSeconds(10))) {
      for (int i = 0; i < 200; i++) {
        wake.requestWake(NS, "lobby");
      }

      String stamp = await().until(() -> wakeAnnotation("lobby"), value -> value != null);
      assertThat(OffsetDateTime.parse(stamp).toInstant()).isBetween(before, Instant.now());
      await()
          .during(Duration.ofSeconds(1))
          .atMost(Duration.ofSeconds(5))
          .until(() -> patches("lobby") == 1);

      for (int i = 0; i < 50; i++) {
        wake.requestWake(NS, "lobby");
      }
      await()
          .during(Duration.ofMillis(500))
          .atMost(Duration.ofSeconds(5))
          .until(() -> patches("lobby") == 1);
      assertThat(wakeAnnotation("lobby")).isEqualTo(stamp);
    }
  }

  @Test
  void aStillWaitingGatewayRenewsTheRequestAfterTheRepeatInterval() {
    create("hall");
    try (KubernetesWakeRequester wake =
        new KubernetesWakeRequester(client, Duration.ofMillis(300))) {
      wake.requestWake(NS, "hall");
      String first = await().until(() -> wakeAnnotation("hall"), value -> value != null);

      String renewed =
          await()
              .until(
                  () -> {
                    wake.requestWake(NS, "hall");
                    return wakeAnnotation("hall");
                  },
                  value -> !first.equals(value));

      assertThat(OffsetDateTime.parse(renewed)).isAfter(OffsetDateTime.parse(first));
    }
  }

  @Test
  void aFailedRequestIsSentAgainOnTheNextCall() {
    try (KubernetesWakeRequester wake =
        new KubernetesWakeRequester(client, Duration.ofSeconds(10))) {
      wake.requestWake(NS, "late");
      await().until(() -> patches("late") == 1); // 404: the room does not exist yet
      // Not hammered at the pace events come (a room being deleted answers 404 too).
      await()
          .during(Duration.ofMillis(500))
          .atMost(Duration.ofSeconds(2))
          .until(
              () -> {
                wake.requestWake(NS, "late");
                return patches("late") == 1;
              });

      create("late");
      await()
          .until(
              () -> {
                wake.requestWake(NS, "late");
                return wakeAnnotation("late");
              },
              value -> value != null);
    }
  }

  private static void create(String name) {
    WebSocketRoom room = new WebSocketRoom();
    room.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    client.resource(room).create();
  }

  private static String wakeAnnotation(String room) {
    Map<String, String> annotations =
        client
            .resources(WebSocketRoom.class)
            .inNamespace(NS)
            .withName(room)
            .get()
            .getMetadata()
            .getAnnotations();
    return annotations == null ? null : annotations.get(Annotations.WAKE_REQUESTED);
  }

  /** PATCH requests the mock received for the room so far. */
  private long patches(String room) throws InterruptedException {
    for (RecordedRequest request;
        (request = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null; ) {
      requests.add(request);
    }
    return requests.stream()
        .filter(
            r -> r.getMethod().equals("PATCH") && r.getPath().contains("/websocketrooms/" + room))
        .count();
  }
}
