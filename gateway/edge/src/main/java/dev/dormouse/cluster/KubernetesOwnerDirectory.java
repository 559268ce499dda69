package dev.dormouse.cluster;

import dev.dormouse.contract.Annotations;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ready owner pods of every room, from an informer on pods labelled as owners: the gateway
 * follows owners coming and going without a restart. Pods are grouped by their namespace and their
 * room label. An owner counts once its Ready condition is True, as long as it has an IP and is not
 * being deleted, so that a terminating owner gets no new work.
 */
public final class KubernetesOwnerDirectory implements OwnerDirectory, AutoCloseable {

  private static final String BY_ROOM = "room";
  private static final Comparator<OwnerEndpoint> BY_ID =
      Comparator.comparing(OwnerEndpoint::ownerId);

  private final int linkPort;
  private final SharedIndexInformer<Pod> informer;
  private final ResourceEventHandler<Pod> handler;
  private final ChangeListeners listeners = new ChangeListeners();

  /** Snapshots by {@code namespace/room}, rebuilt for the room a pod event touches; no entry when empty. */
  private final Map<String, List<OwnerEndpoint>> ready = new ConcurrentHashMap<>();

  /**
   * @param namespace the namespace to watch, or null or blank for all namespaces
   * @param linkPort the port owners' link listens on (DORMOUSE_LINK_PORT of the owners, 7070)
   */
  public KubernetesOwnerDirectory(KubernetesClient client, String namespace, int linkPort) {
    this.linkPort = linkPort;
    var pods =
        namespace == null || namespace.isBlank()
            ? client.pods().inAnyNamespace()
            : client.pods().inNamespace(namespace);
    informer = pods.withLabel(Annotations.ROLE_LABEL, Annotations.ROLE_OWNER).runnableInformer(0);
    informer.addIndexers(
        Map.of(
            BY_ROOM,
            pod -> {
              String roomPath = roomPath(pod);
              return roomPath == null ? List.of() : List.of(roomPath);
            }));
    handler =
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Pod pod) {
            refresh(roomPath(pod));
          }

          @Override
          public void onUpdate(Pod before, Pod after) {
            refresh(roomPath(before));
            refresh(roomPath(after));
          }

          @Override
          public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
            refresh(roomPath(pod));
          }
        };
  }

  /**
   * Starts watching and returns once the current owners are known (or fails after {@code timeout}),
   * so the first lookups are right.
   */
  public KubernetesOwnerDirectory start(Duration timeout) {
    Informers.startAndSync(informer, handler, timeout, "owner pods");
    return this;
  }

  @Override
  public List<OwnerEndpoint> readyOwners(String namespace, String room) {
    return ready.getOrDefault(namespace + "/" + room, List.of());
  }

  @Override
  public void addListener(Runnable changed) {
    listeners.add(changed);
  }

  @Override
  public void close() {
    informer.close();
  }

  /** Runs on the informer's event thread, after its cache took the change: one writer per room. */
  private void refresh(String roomPath) {
    if (roomPath == null) {
      return;
    }
    List<OwnerEndpoint> now =
        informer.getIndexer().byIndex(BY_ROOM, roomPath).stream()
            .filter(KubernetesOwnerDirectory::isReady)
            .map(
                pod ->
                    new OwnerEndpoint(
                        pod.getMetadata().getName(),
                        new InetSocketAddress(pod.getStatus().getPodIP(), linkPort)))
            .sorted(BY_ID)
            .toList();
    List<OwnerEndpoint> before = now.isEmpty() ? ready.remove(roomPath) : ready.put(roomPath, now);
    if (!now.equals(before == null ? List.of() : before)) {
      listeners.fire();
    }
  }

  private static String roomPath(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    String room = labels == null ? null : labels.get(Annotations.ROOM_LABEL);
    return room == null || room.isBlank() ? null : pod.getMetadata().getNamespace() + "/" + room;
  }

  static boolean isReady(Pod pod) {
    if (pod.getMetadata().getDeletionTimestamp() != null || pod.getStatus() == null) {
      return false;
    }
    String ip = pod.getStatus().getPodIP();
    List<PodCondition> conditions = pod.getStatus().getConditions();
    return ip != null
        && !ip.isBlank()
        && conditions != null
        && conditions.stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
