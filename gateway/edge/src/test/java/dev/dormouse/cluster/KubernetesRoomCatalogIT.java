package dev.dormouse.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.config.RoomSettings;
import dev.dormouse.crd.v1alpha1.WebSocketRoom;
import dev.dormouse.crd.v1alpha1.WebSocketRoomSpec;
import dev.dormouse.testing.WebSocketRoomCrd;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** WebSocketRoom resources in a CRUD-mode mock API server with the generated CRD installed. */
@EnableKubernetesMockClient(crud = true)
class KubernetesRoomCatalogIT {

  private static final String NS = "rooms";
  private static final Duration START = Duration.ofSeconds(10);

  static KubernetesClient client;

  @BeforeAll
  static void installCrd() {
    WebSocketRoomCrd.install(client);
  }

  @Test
  void roomsAppearChangeAndGoAsTheirResourcesDo() {
    try (KubernetesRoomCatalog catalog = new KubernetesRoomCatalog(client, NS).start(START)) {
      create(NS, "lobby", spec -> {});
      RoomSettings lobby =
          await().until(() -> catalog.find(NS, "lobby"), Optional::isPresent).orElseThrow();
      assertThat(lobby.handler()).isEqualTo("example");
      assertThat(lobby.path()).isEqualTo(NS + "/lobby");

      edit("lobby", spec -> spec.getLimits().setMaxConnections(5));
      await().until(() -> catalog.find(NS, "lobby").orElseThrow().maxConnections() == 5);

      client.resources(WebSocketRoom.class).inNamespace(NS).withName("lobby").delete();
      await().until(() -> catalog.find(NS, "lobby").isEmpty());
      assertThat(catalog.all()).extracting(RoomSettings::name).doesNotContain("lobby");
    }
  }

  @Test
  void anInvalidRoomIsNotServedAndAnInvalidEditKeepsTheLastValidSettings() {
    try (KubernetesRoomCatalog catalog = new KubernetesRoomCatalog(client, NS).start(START)) {
      create(NS, "broken", spec -> spec.getLimits().setMaxConnections(-1));
      create(NS, "stage", spec -> spec.setHandler("echo"));
      await().until(() -> catalog.find(NS, "stage").isPresent());
      // Events of one informer arrive in order: the invalid room, created first, has been seen.
      assertThat(catalog.find(NS, "broken")).isEmpty();
      assertThat(catalog.all())
          .extracting(RoomSettings::name)
          .contains("stage")
          .doesNotContain("broken");

      edit(
          "stage",
          spec -> {
            spec.setHandler("no-such-built-in");
            spec.getLimits().setMaxConnections(7);
          });
      create(NS, "marker", spec -> {});
      await().until(() -> catalog.find(NS, "marker").isPresent());
      RoomSettings kept = catalog.find(NS, "stage").orElseThrow();
      assertThat(kept.handler()).isEqualTo("echo");
      assertThat(kept.maxConnections()).isNotEqualTo(7);

      edit("stage", spec -> spec.setHandler("chat"));
      await().until(() -> catalog.find(NS, "stage").orElseThrow().handler().equals("chat"));
      assertThat(catalog.find(NS, "stage").orElseThrow().maxConnections()).isEqualTo(7);
    }
  }

  @Test
  void existingRoomsAreKnownAtStartAndANamespacedCatalogSeesOnlyItsNamespace() {
    create(NS, "arena", spec -> {});
    create("elsewhere", "arena", spec -> spec.setHandler("chat"));

    try (KubernetesRoomCatalog mine = new KubernetesRoomCatalog(client, NS).start(START);
        KubernetesRoomCatalog everyone = new KubernetesRoomCatalog(client, "").start(START)) {
      assertThat(mine.find(NS, "arena")).isPresent();
      assertThat(mine.find("elsewhere", "arena")).isEmpty();
      assertThat(everyone.find(NS, "arena")).isPresent();
      assertThat(everyone.find("elsewhere", "arena").orElseThrow().handler()).isEqualTo("chat");
    }
  }

  @Test
  void everyRoomOfTheFirstListIsKnownTheMomentStartReturns() {
    // Many rooms, so that the informer's handler is still adding them when its first list is in.
    int count = 300;
    for (int i = 0; i < count; i++) {
      create("crowded", "room-" + i, spec -> {});
    }

    try (KubernetesRoomCatalog catalog =
        new KubernetesRoomCatalog(client, "crowded").start(START)) {
      assertThat(catalog.all()).hasSize(count);
      for (int i = 0; i < count; i++) {
        assertThat(catalog.find("crowded", "room-" + i)).as("room-" + i).isPresent();
      }
    }
  }

  private static void create(String namespace, String name, Consumer<WebSocketRoomSpec> spec) {
    WebSocketRoom room = new WebSocketRoom();
    room.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    spec.accept(room.getSpec());
    client.resource(room).create();
  }

  private static void edit(String name, Consumer<WebSocketRoomSpec> change) {
    client
        .resources(WebSocketRoom.class)
        .inNamespace(NS)
        .withName(name)
        .edit(
            room -> {
              change.accept(room.getSpec());
              return room;
            });
  }
}
