package dev.dormouse.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.cluster.KubernetesOwnerDirectory;
import dev.dormouse.cluster.OwnerEndpoint;
import dev.dormouse.cluster.OwnerPods;
import dev.dormouse.contract.Annotations;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A woken room's new owner pod, from the pod informer to the router: events reach it once its link
 * serves, before the kubelet's probe makes the pod Ready. The links are {@link OwnerRouterTest}'s
 * fakes; the pods are in a CRUD-mode mock API server, which runs no kubelet, so the test writes
 * their status as a kubelet would.
 */
@EnableKubernetesMockClient(crud = true)
class StartingOwnerRoutingIT {

  static final OwnerEndpoint STARTING =
      new OwnerEndpoint("lobby-a", new InetSocketAddress("10.0.9.1", 7070));

  static final OwnerEndpoint RUNNING =
      new OwnerEndpoint("lobby-b", new InetSocketAddress("10.0.9.2", 7070));

  static KubernetesClient client;

  final OwnerRouterTest fakes = new OwnerRouterTest();
  final KubernetesOwnerDirectory directory =
      new KubernetesOwnerDirectory(client, "default", 7070).start(Duration.ofSeconds(10));
  final OwnerRouter router = fakes.router(directory, Duration.ofSeconds(30), 3);

  @AfterEach
  void tearDown() {
    directory.close();
    fakes.tearDown();
    client.pods().inNamespace("default").delete();
  }

  @Test
  void aStartingPodIsLinkedAtOnceAndGetsEventsOnceItsLinkServesBeforeItIsReady() {
    router.offer(OwnerRouterTest.message("c1", "wake"));
    assertThat(fakes.wakes).contains("default/lobby");
    // Created by the operator; its process is not listening yet.
    fakes.link(STARTING).down(fakes.clock.get());
    create("lobby-a");

    setStatus("lobby-a", "Running", false);
    // The router hears of the pod from the directory and asks for its link at once.
    await().until(() -> directory.owners("default", "lobby").isStarting(STARTING));
    router.offer(OwnerRouterTest.message("c1", "still starting"));
    assertThat(fakes.link(STARTING).received).isEmpty();

    // Its link's WELCOME, as the gateway's link tells the router.
    fakes.link(STARTING).ready = true;
    router.retryAll();
    assertThat(fakes.link(STARTING).texts()).containsExactly("wake", "still starting");
    assertThat(directory.owners("default", "lobby").isStarting(STARTING))
        .as("still not Ready")
        .isTrue();
    assertThat(fakes.refused).isEmpty();
  }

  @Test
  void aPodThatIsNotRunningYetGetsNothingEvenWithItsLinkUpWhileARunningOneDoes() {
    fakes.link(STARTING).ready = true;
    create("lobby-a");
    setStatus("lobby-a", "Pending", false);
    create("lobby-b");
    setStatus("lobby-b", "Running", false);
    await().until(() -> directory.owners("default", "lobby").all().size() == 1);

    router.offer(OwnerRouterTest.message("c1", "to whom?"));

    assertThat(fakes.link(STARTING).received).isEmpty();
    assertThat(fakes.link(RUNNING).texts()).containsExactly("to whom?");
  }

  private static void create(String name) {
    OwnerPods.create(client, "default", name, "lobby", Annotations.ROLE_OWNER);
  }

  private static void setStatus(String name, String phase, boolean ready) {
    OwnerPods.setStatus(
        client, "default", name, phase, ready, name.equals("lobby-a") ? "10.0.9.1" : "10.0.9.2");
  }
}
