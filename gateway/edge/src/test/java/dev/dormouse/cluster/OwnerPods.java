package dev.dormouse.cluster;

import dev.dormouse.contract.Annotations;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Owner pods in a CRUD-mode mock API server, for the tests of what reads them. The mock runs no
 * kubelet, so a test writes each pod's status as a kubelet would.
 */
public final class OwnerPods {

  private OwnerPods() {}

  /** A pod labelled as {@code role} of {@code room}, with no status yet (as just scheduled). */
  public static void create(
      KubernetesClient client, String namespace, String name, String room, String role) {
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

  /** The pod's phase, its IP and its Ready condition, as the kubelet reports them. */
  public static void setStatus(
      KubernetesClient client,
      String namespace,
      String name,
      String phase,
      boolean ready,
      String ip) {
    Pod current = client.pods().inNamespace(namespace).withName(name).get();
    current.setStatus(
        new PodStatusBuilder()
            .withPhase(phase)
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
