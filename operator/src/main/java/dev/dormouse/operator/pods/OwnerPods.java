package dev.dormouse.operator.pods;

import dev.dormouse.contract.Annotations;
import dev.dormouse.crd.v1alpha1.WebSocketRoom;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Collection;
import java.util.List;

/** The owner pods of a room as they are on the API server, and the writes that change them. */
public final class OwnerPods {

  private final KubernetesClient client;
  private final OwnerPodFactory factory;

  public OwnerPods(KubernetesClient client, OwnerPodFactory factory) {
    this.client = client;
    this.factory = factory;
  }

  /**
   * Owner pods that are not terminating. Read from the API server rather than an informer cache:
   * a pod created or deleted by the previous reconcile may not be in the cache yet, and counting
   * from a stale cache would create or drain one pod too many.
   */
  public List<Pod> live(WebSocketRoom room) {
    return all(room.getMetadata().getNamespace(), room.getMetadata().getName()).stream()
        .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  public List<Pod> all(String namespace, String roomName) {
    return client
        .pods()
        .inNamespace(namespace)
        .withLabel(Annotations.ROOM_LABEL, roomName)
        .withLabel(Annotations.ROLE_LABEL, Annotations.ROLE_OWNER)
        .list()
        .getItems();
  }

  public Pod create(WebSocketRoom room) {
    return client.resource(factory.newPod(room)).create();
  }

  /** Deleting is draining: the owner hands its instances back on SIGTERM within its grace period. */
  public void delete(Collection<Pod> pods) {
    pods.forEach(
        pod ->
            client
                .pods()
                .inNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName())
                .delete());
  }

  public static boolean isOutdated(Pod pod, String currentHash) {
    var annotations = pod.getMetadata().getAnnotations();
    return annotations == null || !currentHash.equals(annotations.get(Annotations.SPEC_HASH));
  }

  public static boolean isReady(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  public static String name(Pod pod) {
    return pod.getMetadata().getName();
  }
}
