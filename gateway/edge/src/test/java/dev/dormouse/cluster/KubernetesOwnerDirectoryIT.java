package dev.dormouse.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.contract.Annotations;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
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
      setStatus(NS, "lobby-a", "Pending", false, "10.0.0.1");
      await().until(() -> listed(owners, NS, "lobby"), list -> list.size() == 1);
      assertThat(listed(owners, NS, "lobby")).containsExactly(owner("lobby-b", "10.0.0.2"));
      // Listeners hear of a change just after the snapshot has it.
      await().untilAsserted(() -> assertThat(changes).hasPositiveValue());

      int before = changes.get();
      setStatus(NS, "lobby-a", true, "10.0.0.1");
      await().until(() -> listed(owners, NS, "lobby"), list -> list.size() == 2);
      assertThat(listed(owners, NS, "lobby"))
          .containsExactly(owner("lobby-a", "10.0.0.1"), owner("lobby-b", "10.0.0.2"));
      await().untilAsserted(() -> assertThat(changes.get()).isGreaterThan(before));

      int beforeUnready = changes.get();
      setStatus(NS, "lobby-a", false, "10.0.0.1");
      await().until(() -> owners.owners(NS, "lobby").all(), list -> list.size() == 1);
      assertThat(owners.owners(NS, "lobby").all())
          .as("Ready once, then not: its probe fails, it is not starting")
          .containsExactly(owner("lobby-b", "10.0.0.2"));
      await().untilAsserted(() -> assertThat(changes.get()).isGreaterThan(beforeUnready));

      int beforeDelete = changes.get();
      client.pods().inNamespace(NS).withName("lobby-b").delete();
      await().until(() -> listed(owners, NS, "lobby").isEmpty());
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
      await().until(() -> listed(owners, NS, "hall"), list -> list.size() == 1);
      assertThat(listed(owners, NS, "hall")).containsExactly(owner("hall-b", "10.0.1.2"));

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
      await().until(() -> listed(owners, NS, "hall").isEmpty());
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
      assertThat(listed(all, NS, "arena")).containsExactly(owner("arena-a", "10.0.2.1", 7171));
      assertThat(listed(all, "elsewhere", "arena"))
          .containsExactly(owner("arena-x", "10.0.2.9", 7171));
      assertThat(listed(all, NS, "stage")).containsExactly(owner("stage-a", "10.0.2.7", 7171));
      assertThat(listed(one, NS, "arena")).containsExactly(owner("arena-a", "10.0.2.1", 7171));
      assertThat(listed(one, "elsewhere", "arena")).isEmpty();
      assertThat(listed(one, NS, "nowhere")).isEmpty();
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
        assertThat(listed(owners, "crowded", "room-" + i))
            .containsExactly(owner("room-" + i + "-a", "10.1." + i / 250 + "." + (i % 250 + 1)));
      }
    }
  }

  @Test
  void aRunningPodWithAnIpIsStartingUntilReady() {
    try (KubernetesOwnerDirectory owners =
        new KubernetesOwnerDirectory(client, NS, 7070).start(START)) {
      AtomicInteger changes = new AtomicInteger();
      owners.addListener(changes::incrementAndGet);
      create(NS, "foyer-a", "foyer", Annotations.ROLE_OWNER);
      create(NS, "foyer-b", "foyer", Annotations.ROLE_OWNER);
      setStatus(NS, "foyer-b", true, "10.0.3.2");
      await().until(() -> listed(owners, NS, "foyer"), list -> list.size() == 1);

      // As the kubelet writes it once the container runs, before the first probe passed.
      setStatus(NS, "foyer-a", false, "10.0.3.1");
      await().until(() -> owners.owners(NS, "foyer").all(), list -> list.size() == 2);
      RoomOwners starting = owners.owners(NS, "foyer");
      assertThat(starting.all())
          .containsExactly(owner("foyer-a", "10.0.3.1"), owner("foyer-b", "10.0.3.2"));
      assertThat(starting.starting()).containsExactly(owner("foyer-a", "10.0.3.1"));
      assertThat(starting.isStarting(owner("foyer-b", "10.0.3.2"))).isFalse();

      int before = changes.get();
      setStatus(NS, "foyer-a", true, "10.0.3.1");
      await().until(() -> owners.owners(NS, "foyer").starting().isEmpty());
      assertThat(owners.owners(NS, "foyer").all()).isEqualTo(starting.all());
      await().untilAsserted(() -> assertThat(changes.get()).isGreaterThan(before));
    }
  }

  @Test
  void aPodNotRunningOrWithoutAnIpOrBeingDeletedIsNotStarting() {
    try (KubernetesOwnerDirectory owners =
        new KubernetesOwnerDirectory(client, NS, 7070).start(START)) {
      create(NS, "attic-pending", "attic", Annotations.ROLE_OWNER);
      setStatus(NS, "attic-pending", "Pending", false, "10.0.4.1");
      create(NS, "attic-noip", "attic", Annotations.ROLE_OWNER);
      setStatus(NS, "attic-noip", false, null);
      create(NS, "attic-failed", "attic", Annotations.ROLE_OWNER);
      setStatus(NS, "attic-failed", "Failed", false, "10.0.4.3");
      create(NS, "attic-going", "attic", Annotations.ROLE_OWNER);
      setStatus(NS, "attic-going", false, "10.0.4.4");
      await().until(() -> listed(owners, NS, "attic"), list -> list.size() == 1);
      assertThat(owners.owners(NS, "attic").starting())
          .containsExactly(owner("attic-going", "10.0.4.4"));

      client
          .pods()
          .inNamespace(NS)
          .withName("attic-going")
          .edit(
              pod -> {
                pod.getMetadata().getFinalizers().add("dormouse.dev/test-hold");
                return pod;
              });
      client.pods().inNamespace(NS).withName("attic-going").delete();
      await().until(() -> owners.owners(NS, "attic").equals(RoomOwners.NONE));
      // The control pod: one that runs, listed from then on, so the others were seen and left out.
      create(NS, "attic-later", "attic", Annotations.ROLE_OWNER);
      setStatus(NS, "attic-later", false, "10.0.4.5");
      await().until(() -> listed(owners, NS, "attic"), list -> list.size() == 1);
      assertThat(listed(owners, NS, "attic")).containsExactly(owner("attic-later", "10.0.4.5"));
    }
  }

  /** Every owner the directory lists for the room, ready or starting. */
  private static List<OwnerEndpoint> listed(
      KubernetesOwnerDirectory owners, String namespace, String room) {
    return owners.owners(namespace, room).all();
  }

  private static OwnerEndpoint owner(String name, String ip) {
    return owner(name, ip, 7070);
  }

  private static OwnerEndpoint owner(String name, String ip, int port) {
    return new OwnerEndpoint(name, new InetSocketAddress(ip, port));
  }

  private static void create(String namespace, String name, String room, String role) {
    OwnerPods.create(client, namespace, name, room, role);
  }

  private static void setStatus(String namespace, String name, boolean ready, String ip) {
    setStatus(namespace, name, "Running", ready, ip);
  }

  private static void setStatus(
      String namespace, String name, String phase, boolean ready, String ip) {
    OwnerPods.setStatus(client, namespace, name, phase, ready, ip);
  }
}
