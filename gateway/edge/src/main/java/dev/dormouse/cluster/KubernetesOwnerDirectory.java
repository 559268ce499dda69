package dev.dormouse.cluster;

import dev.dormouse.contract.Annotations;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The owner pods of every room, from an informer on pods labelled as owners: the gateway follows
 * owners coming and going without a restart. Pods are grouped by their namespace and their room
 * label. A pod that is being deleted or has no IP never counts, so that a terminating owner gets no
 * new work. One whose Ready condition is True is ready. One that is Running with an IP but not Ready
 * yet is starting ({@link RoomOwners#starting()}): the gateway links to it at once and routes to it
 * as soon as its link says it serves, rather than waiting up to a readiness probe period more. A pod
 * that was seen Ready and is no longer is left out, as its probe failing says; this memory is this
 * gateway's own, so a gateway started after that treats the pod as starting, which counts it only
 * while its link serves.
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
  private final Map<String, RoomOwners> owners = new ConcurrentHashMap<>();

  /** The uids of the pods seen Ready, until they are deleted. */
  private final Set<String> seenReady = ConcurrentHashMap.newKeySet();

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
            seenReady.remove(pod.getMetadata().getUid());
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
  public RoomOwners owners(String namespace, String room) {
    return owners.getOrDefault(namespace + "/" + room, RoomOwners.NONE);
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
    List<OwnerEndpoint> all = new ArrayList<>();
    Set<OwnerEndpoint> starting = new HashSet<>();
    for (Pod pod : informer.getIndexer().byIndex(BY_ROOM, roomPath)) {
      boolean ready = isReady(pod);
      if (ready) {
        seenReady.add(pod.getMetadata().getUid());
      }
      if (ready || isStarting(pod)) {
        OwnerEndpoint owner =
            new OwnerEndpoint(
                pod.getMetadata().getName(),
                new InetSocketAddress(pod.getStatus().getPodIP(), linkPort));
        all.add(owner);
        if (!ready) {
          starting.add(owner);
        }
      }
    }
    all.sort(BY_ID);
    RoomOwners now = new RoomOwners(all, starting);
    RoomOwners before = all.isEmpty() ? owners.remove(roomPath) : owners.put(roomPath, now);
    if (!now.equals(before == null ? RoomOwners.NONE : before)) {
      listeners.fire();
    }
  }

  private static String roomPath(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    String room = labels == null ? null : labels.get(Annotations.ROOM_LABEL);
    return room == null || room.isBlank() ? null : pod.getMetadata().getNamespace() + "/" + room;
  }

  static boolean isReady(Pod pod) {
    return hasAddress(pod)
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** Its process runs and can be reached, its readiness not yet known: never once it was Ready. */
  private boolean isStarting(Pod pod) {
    return hasAddress(pod)
        && "Running".equals(pod.getStatus().getPhase())
        && !seenReady.contains(pod.getMetadata().getUid());
  }

  /** Not being deleted, and with an IP to link to. */
  private static boolean hasAddress(Pod pod) {
    if (pod.getMetadata().getDeletionTimestamp() != null || pod.getStatus() == null) {
      return false;
    }
    String ip = pod.getStatus().getPodIP();
    return ip != null && !ip.isBlank();
  }
}
