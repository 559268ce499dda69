package dev.dormouse.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.contract.Annotations;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Owner pods in a CRUD-mode mock API server; the mock runs no kubelet, so tests set pod status. */
@EnableKubernetesMockClient(crud = true)
class KubernetesOwnerDirectoryIT {

  private static final String NS = "rooms";
  private static final Duration START = Duration.ofSeconds(10);

  static KubernetesClient client;

  @Test
  void ownersCountOnceReadyAndStopCountingWhenUnreadyOrDeleted() {
    try (KubernetesOwnerDirectory owners =
        new KubernetesOwnerDirectory(client, NS, 7070).start(START)) {
      AtomicInteger changes = new AtomicInteger();
      owners.addListener(changes::incrementAndGet);

      create(NS, "lobby-a", "lobby", Annotations.ROLE_OWNER);
      create(NS, "lobby-b", "lobby", Annotations.ROLE_OWNER);
      setStatus(NS, "lobby-b", true, "10.0.0.2");
      setStatus(NS, "lobby-a", false, "10.0.0.1");
      await().until(() -> owners.readyOwners(NS, "lobby"), list -> list.size() == 1);
      assertThat(owners.readyOwners(NS, "lobby")).containsExactly(owner("lobby-b", "10.0.0.2"));
      // Listeners hear of a change just after the snapshot has it.
      await().untilAsserted(() -> assertThat(changes).hasPositiveValue());

      int before = changes.get();
      setStatus(NS, "lobby-a", true, "10.0.0.1");
      await().until(() -> owners.readyOwners(NS, "lobby"), list -> list.size() == 2);
      assertThat(owners.readyOwners(NS, "lobby"))
          .containsExactly(owner("lobby-a", "10.0.0.1"), owner("lobby-b", "10.0.0.2"));
      await().untilAsserted(() -> assertThat(changes.get()).isGreaterThan(before));

      int beforeUnready = changes.get();
      setStatus(NS, "lobby-a", false, "10.0.0.1");
      await().until(() -> owners.readyOwners(NS, "lobby"), list -> list.size() == 1);
      assertThat(owners.readyOwners(NS, "lobby")).containsExactly(owner("lobby-b", "10.0.0.2"));
      await().untilAsserted(() -> assertThat(changes.get()).isGreaterThan(beforeUnready));

      int beforeDelete = changes.get();
      client.pods().inNamespace(NS).withName("lobby-b").delete();
      await().until(() -> owners.readyOwners(NS, "lobby").isEmpty());
      await().untilAsserted(() -> assertThat(changes.get()).isGreaterThan(beforeDelete));
    }
  }

  @Test
  void aPodBeingDeletedOrWithoutAnIpIsNotReady() {
    try (KubernetesOwnerDirectory owners =
        new KubernetesOwnerDirectory(client, NS, 7070).start(START)) {
      create(NS, "hall-a", "hall", Annotations.ROLE_OWNER);
      setStatus(NS, "hall-a", true, null);
      create(NS, "hall-b", "hall", Annotations.ROLE_OWNER);
      setStatus(NS, "hall-b", true, "10.0.1.2");
      await().until(() -> owners.readyOwners(NS, "hall"), list -> list.size() == 1);
      assertThat(owners.readyOwners(NS, "hall")).containsExactly(owner("hall-b", "10.0.1.2"));

      // A finalizer keeps the deleted pod visible with a deletion timestamp, as while it
      // terminates.
      client
          .pods()
          .inNamespace(NS)
          .withName("hall-b")
          .edit(
              pod -> {
                pod.getMetadata().getFinalizers().add("dormouse.dev/test-hold");
                return pod;
              });
      client.pods().inNamespace(NS).withName("hall-b").delete();
      await().until(() -> owners.readyOwners(NS, "hall").isEmpty());
      Pod terminating = client.pods().inNamespace(NS).withName("hall-b").get();
      assertThat(terminating.getMetadata().getDeletionTimestamp()).isNotNull();
      assertThat(KubernetesOwnerDirectory.isReady(terminating)).isFalse();
    }
  }

  @Test
  void ownersAreGroupedByNamespaceAndRoomAndOnlyOwnerPodsCount() {
    create(NS, "arena-a", "arena", Annotations.ROLE_OWNER);
    setStatus(NS, "arena-a", true, "10.0.2.1");
    create("elsewhere", "arena-x", "arena", Annotations.ROLE_OWNER);
    setStatus("elsewhere", "arena-x", true, "10.0.2.9");
    create(NS, "arena-gw", "arena", "gateway");
    setStatus(NS, "arena-gw", true, "10.0.2.5");
    create(NS, "stage-a", "stage", Annotations.ROLE_OWNER);
    setStatus(NS, "stage-a", true, "10.0.2.7");

    // Started after the pods exist: the first list is in before start returns.
    try (KubernetesOwnerDirectory all =
            new KubernetesOwnerDirectory(client, null, 7171).start(START);
        KubernetesOwnerDirectory one =
            new KubernetesOwnerDirectory(client, NS, 7171).start(START)) {
      assertThat(all.readyOwners(NS, "arena")).containsExactly(owner("arena-a", "10.0.2.1", 7171));
      assertThat(all.readyOwners("elsewhere", "arena"))
          .containsExactly(owner("arena-x", "10.0.2.9", 7171));
      assertThat(all.readyOwners(NS, "stage")).containsExactly(owner("stage-a", "10.0.2.7", 7171));
      assertThat(one.readyOwners(NS, "arena")).containsExactly(owner("arena-a", "10.0.2.1", 7171));
      assertThat(one.readyOwners("elsewhere", "arena")).isEmpty();
      assertThat(one.readyOwners(NS, "nowhere")).isEmpty();
    }
  }

  @Test
  void everyOwnerOfTheFirstListIsKnownTheMomentStartReturns() {
    // Many pods, so that the informer's handler is still taking them in when its first list is in.
    int count = 150;
    for (int i = 0; i < count; i++) {
      create("crowded", "room-" + i + "-a", "room-" + i, Annotations.ROLE_OWNER);
      setStatus("crowded", "room-" + i + "-a", true, "10.1." + i / 250 + "." + (i % 250 + 1));
    }

    try (KubernetesOwnerDirectory owners =
        new KubernetesOwnerDirectory(client, "crowded", 7070).start(START)) {
      // The last of the list first: the one an informer's handler gets to last.
      for (int i = count - 1; i >= 0; i--) {
        assertThat(owners.readyOwners("crowded", "room-" + i))
            .containsExactly(owner("room-" + i + "-a", "10.1." + i / 250 + "." + (i % 250 + 1)));
      }
    }
  }

  private static OwnerEndpoint owner(String name, String ip) {
    return owner(name, ip, 7070);
  }

  private static OwnerEndpoint owner(String name, String ip, int port) {
    return new OwnerEndpoint(name, new InetSocketAddress(ip, port));
  }

  private static void create(String namespace, String name, String room, String role) {
    client
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .addToLabels(Annotations.ROLE_LABEL, role)
                .addToLabels(Annotations.ROOM_LABEL, room)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("owner")
                .withImage("dormouse:test")
                .endContainer()
                .endSpec()
                .build())
        .create();
  }

  private static void setStatus(String namespace, String name, boolean ready, String ip) {
    Pod current = client.pods().inNamespace(namespace).withName(name).get();
    current.setStatus(
        new PodStatusBuilder()
            .withPhase("Running")
            .withPodIP(ip)
            .withConditions(
                new PodConditionBuilder()
                    .withType("Ready")
                    .withStatus(ready ? "True" : "False")
                    .build())
            .build());
    client.resource(current).updateStatus();
  }
}
